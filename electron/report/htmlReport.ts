/**
 * A project's report as one self-contained HTML page: for each run its summary,
 * settings, a diagram of its network and its trace charts, all as inline SVG;
 * with several runs, their losses side by side first. No scripts, no external
 * fonts or styles (and a policy that forbids them), so it opens offline, prints,
 * and can be mailed as a single file. Every text that comes from the project
 * (names, node ids, options) is HTML-escaped: a node id is the student's free text.
 */
import { compareLossOption, compareRatioOption, type CompareRun } from '../../core/charts/compareCharts.ts';
import {
  gradientProfileOption,
  layerGradNormsOption,
  lossOption,
  timestepProfileOption,
} from '../../core/charts/traceCharts.ts';
import { formatValue } from '../../core/charts/style.ts';
import { networkDiagramSvg } from '../../core/network/diagram.ts';
import type { NetworkSpec } from '../../core/network/spec.ts';
import type { ProjectDataset } from '../../core/project/schema.ts';
import { escapeHtml } from '../../core/text/escapeHtml.ts';
import { metricAt, recurrentMetric, traceMetric, type TraceColumns } from '../../core/traces/metrics.ts';
import type { TrainingSettings } from '../../core/training/settings.ts';
import { figure, flattenSettings as flatten, keyValueTable as table, REPORT_CSP, REPORT_CSP_META } from './htmlParts.ts';
import { renderSvg } from './svg.ts';

export { escapeHtml, REPORT_CSP };

/** One run as the report shows it. */
export interface ReportRun {
  /** The run's name in the app ("Run 2"); the CLI's single run has none. */
  label?: string;
  network: NetworkSpec;
  settings: TrainingSettings;
  dataset: ProjectDataset;
  /** How the run ended (the engine's NativeTrainResult). */
  result: { steps: number; stopped: string; divergence?: string };
  traces: TraceColumns;
}

/** The report of a single run (the CLI's `vglab run`). */
export interface RunReportInput extends ReportRun {
  projectName: string;
}

/** The report of a project: the runs the student picked, in the order given. */
export interface ProjectReportInput {
  projectName: string;
  runs: readonly ReportRun[];
}

/** Chart size in the report, CSS pixels. */
export const CHART_WIDTH = 760;
export const CHART_HEIGHT = 380;

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

function datasetText(d: ProjectDataset): string {
  if ('csv' in d) return `CSV file ${d.csv.fileName}${d.csv.target ? ` (target ${d.csv.target})` : ''}`;
  return `${d.name} ${JSON.stringify(d.options)}`;
}

function summaryRows(input: ReportRun): [string, string][] {
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
figure.network { break-inside: auto; }
section.run { margin-top: 2.5em; }
h3 { font-size: 1.05em; margin-top: 1.5em; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; max-width: none; } h2, h3 { break-after: avoid; } figure:not(.network) { break-inside: avoid; } section.run { break-before: page; } section.run:first-of-type { break-before: auto; } }
`;

function nodeTable(network: NetworkSpec): string {
  const rows = network.nodes
    .map((n) => `<tr><td><code>${escapeHtml(n.id)}</code></td><td>${escapeHtml(n.type)}</td><td><code>${escapeHtml(JSON.stringify(n.params))}</code></td></tr>`)
    .join('\n');
  return `<table class="nodes">\n<tr><th>Node</th><th>Type</th><th>Parameters</th></tr>\n${rows}\n</table>`;
}

function runSection(run: ReportRun, index: number): string {
  const heading = (text: string) => `<h3>${escapeHtml(text)}</h3>`;
  const diagram = networkDiagramSvg(run.network, {
    maxWidth: CHART_WIDTH,
    idPrefix: `run${index}`,
    title: `Network of ${run.label ?? 'the run'}`,
  });
  return `${heading('Summary')}
${table(summaryRows(run))}
${heading('Settings')}
${table([['Data set', datasetText(run.dataset)], ['Loss', run.network.loss.type], ...flatten(run.settings)])}
${heading('Network')}
<figure class="network">
${diagram}
<figcaption>The network as designed: each box a node with its type and output width; dashed arrows are skip connections.</figcaption>
</figure>
${nodeTable(run.network)}
${heading('Charts')}
${charts(run.traces).join('\n')}`;
}

/** Several runs' losses and first / last gradient ratios on shared axes. */
function comparison(runs: readonly ReportRun[]): string {
  const compared: CompareRun[] = runs.map((r, i) => ({ id: String(i), label: r.label ?? `Run ${i + 1}`, cols: r.traces, network: r.network }));
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  return [
    figure(renderSvg(compareLossOption(compared, { log: true }), W, H), traceMetric('loss').tooltip),
    figure(renderSvg(compareRatioOption(compared), W, H), 'The first hidden layer\'s weight gradient divided by the last one\'s: near 1 they learn at the same pace, far below 1 the gradient vanishes.'),
  ].join('\n');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${REPORT_CSP_META}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The report of one run (the CLI's): the same page the app exports for that one run. */
export function renderRunReport(input: RunReportInput): string {
  const { projectName, ...run } = input;
  return renderProjectReport({ projectName, runs: [run] });
}

/**
 * The report of several runs as one HTML document: their losses compared first
 * (when there are two or more), then a section per run, each under the run's name.
 */
export function renderProjectReport(input: ProjectReportInput): string {
  const { projectName, runs } = input;
  const sections = runs.map((run, i) => {
    const label = run.label ?? `Run ${i + 1}`;
    return `<section class="run" aria-labelledby="run-${i}">
<h2 id="run-${i}">${escapeHtml(label)}</h2>
${runSection(run, i)}
</section>`;
  });
  const count = runs.length === 1 ? 'one run' : `${runs.length} runs`;
  return page(
    `${projectName} — report`,
    `<h1>${escapeHtml(projectName)}</h1>
<p>Report from Vanishing Gradient Lab: ${count}.</p>
${runs.length > 1 ? `<h2>All runs</h2>\n${comparison(runs)}` : ''}
${sections.join('\n')}`,
  );
}
