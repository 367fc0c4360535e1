/**
 * A run's report as one self-contained HTML page: settings, a summary and the
 * trace charts as inline SVG. No scripts, no external fonts or styles, so it opens
 * offline, prints, and can be mailed as a single file. Every text that comes from
 * the project (names, node ids, options) is HTML-escaped: a node id is the
 * student's free text.
 */
import {
  gradientProfileOption,
  layerGradNormsOption,
  lossOption,
  timestepProfileOption,
} from '../../core/charts/traceCharts.ts';
import { formatValue } from '../../core/charts/style.ts';
import type { NetworkSpec } from '../../core/network/spec.ts';
import type { ProjectDataset } from '../../core/project/schema.ts';
import { metricAt, recurrentMetric, traceMetric, type TraceColumns } from '../../core/traces/metrics.ts';
import type { TrainingSettings } from '../../core/training/settings.ts';
import { renderSvg } from './svg.ts';

export interface RunReportInput {
  projectName: string;
  network: NetworkSpec;
  settings: TrainingSettings;
  dataset: ProjectDataset;
  /** How the run ended (the engine's NativeTrainResult). */
  result: { steps: number; stopped: string; divergence?: string };
  traces: TraceColumns;
}

/** Chart size in the report, CSS pixels. */
export const CHART_WIDTH = 760;
export const CHART_HEIGHT = 380;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe inside HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * The gradient reaching the first layer divided by the one reaching the last, at
 * traced row `row`: the first and last nodes in plan order (the input node left
 * out) whose out_grad_norm is positive and finite. Far below 1: vanishing; far
 * above: exploding. Null when fewer than two layers have a value.
 */
export function firstLastGradientRatio(
  cols: TraceColumns,
  row: number,
  skip: ReadonlySet<string> = new Set(),
): { first: string; last: string; ratio: number } | null {
  const usable: { id: string; v: number }[] = [];
  cols.nodeIds.forEach((id, k) => {
    const v = metricAt(cols, 'out_grad_norm', row, k);
    if (!skip.has(id) && Number.isFinite(v) && v > 0) usable.push({ id, v });
  });
  if (usable.length < 2) return null;
  const first = usable[0];
  const last = usable[usable.length - 1];
  return { first: first.id, last: last.id, ratio: first.v / last.v };
}

function table(rows: [string, string][]): string {
  const body = rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
  return `<table class="kv">\n${body}\n</table>`;
}

function figure(svg: string, caption: string): string {
  return `<figure>\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}

/** key path -> value rows of a nested settings object ("optimizer.lr", "0.01"). */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, typeof value === 'string' ? value : JSON.stringify(value)]];
}

function datasetText(d: ProjectDataset): string {
  if ('csv' in d) return `CSV file ${d.csv.fileName}${d.csv.target ? ` (target ${d.csv.target})` : ''}`;
  return `${d.name} ${JSON.stringify(d.options)}`;
}

function summaryRows(input: RunReportInput): [string, string][] {
  const { result, traces, network } = input;
  const loss = traces.metrics.loss;
  const inputs = new Set(network.nodes.filter((n) => n.type === 'input').map((n) => n.id));
  const rows: [string, string][] = [
    ['Steps trained', String(result.steps)],
    ['Stopped', result.stopped],
  ];
  if (result.divergence) rows.push(['Divergence', result.divergence]);
  rows.push(['First loss', formatValue(loss[0])], ['Last loss', formatValue(loss[loss.length - 1])]);
  const S = traces.steps.length;
  const atRow = (row: number, when: string) => {
    const r = firstLastGradientRatio(traces, row, inputs);
    rows.push([
      `Gradient ratio, first / last layer, ${when} traced step (${traces.steps[row]})`,
      r ? `${formatValue(r.ratio)} (${r.first} / ${r.last})` : 'not available',
    ]);
  };
  if (S > 0) {
    atRow(0, 'first');
    if (S > 1) atRow(S - 1, 'last');
  }
  return rows;
}

function charts(traces: TraceColumns): string[] {
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  const out = [figure(renderSvg(lossOption(traces), W, H), traceMetric('loss').tooltip)];
  const S = traces.steps.length;
  if (S === 0) return out;
  const grad = traceMetric('out_grad_norm').tooltip;
  out.push(figure(renderSvg(layerGradNormsOption(traces, { log: true }), W, H), grad));
  const rows = S > 1 ? [0, S - 1] : [0];
  for (const row of rows) out.push(figure(renderSvg(gradientProfileOption(traces, row), W, H), grad));
  const timestep = recurrentMetric('timestep_grad_norm').tooltip;
  for (const node of traces.recurrent?.nodes ?? []) {
    for (const row of rows) {
      out.push(figure(renderSvg(timestepProfileOption(traces, node.nodeId, row), W, H), timestep));
    }
  }
  return out;
}

const CSS = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; max-width: 820px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { text-align: left; padding: 0.2em 0.8em 0.2em 0; vertical-align: top; }
th { font-weight: 600; }
table.nodes td, table.nodes th { border-bottom: 1px solid #eee; }
code { font: 13px ui-monospace, monospace; }
figure { margin: 1.5em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #555; }
@media print { figure { break-inside: avoid; } }
`;

/** The report of one run as a complete HTML document (UTF-8, no scripts). */
export function renderRunReport(input: RunReportInput): string {
  const { projectName, network, settings, dataset } = input;
  const nodes = network.nodes
    .map((n) => `<tr><td><code>${escapeHtml(n.id)}</code></td><td>${escapeHtml(n.type)}</td><td><code>${escapeHtml(JSON.stringify(n.params))}</code></td></tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(projectName)} — run report</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(projectName)}</h1>
<p>Run report from Vanishing Gradient Lab.</p>
<h2>Summary</h2>
${table(summaryRows(input))}
<h2>Settings</h2>
${table([['Data set', datasetText(dataset)], ['Loss', network.loss.type], ...flatten(settings)])}
<h2>Network</h2>
<table class="nodes">
<tr><th>Node</th><th>Type</th><th>Parameters</th></tr>
${nodes}
</table>
<h2>Charts</h2>
${charts(input.traces).join('\n')}
</body>
</html>
`;
}
