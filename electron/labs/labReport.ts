/**
 * A lab's report as one self-contained HTML page: the lab's title, summary and
 * objectives, each step with the run of its preset (settings and the trace charts
 * as inline SVG), the checkpoint results with a visible pass or fail, and the
 * questions (their answers and the teacher's notes only in teacher mode). No
 * scripts, no external resources. Every text from the lab file is escaped: a lab is
 * a document someone else wrote, and its text must never become markup.
 */
import { layerGradNormsOption, gradientProfileOption, lossOption, timestepProfileOption } from '../../core/charts/traceCharts.ts';
import { theoryOverlayOption } from '../../core/charts/theoryOverlay.ts';
import { formatValue } from '../../core/charts/style.ts';
import { networkDiagramSvg } from '../../core/network/diagram.ts';
import type { CheckpointResult, LabRun } from '../../core/labs/checkpoints.ts';
import type { Lab, LabCheckpoint, LabPreset } from '../../core/labs/schema.ts';
import { recurrentMetric, traceMetric } from '../../core/traces/metrics.ts';
import { CHART_HEIGHT, CHART_WIDTH, escapeHtml, firstLastGradientRatio } from '../report/htmlReport.ts';
import { figure, flattenSettings as flatten, keyValueTable as table, REPORT_CSP_META } from '../report/htmlParts.ts';
import { renderSvg } from '../report/svg.ts';

/**
 * One preset's run as the report needs it. runLab's PresetRun is one; the app can
 * build one from a stored run (its network, traces and how it stopped).
 */
export interface LabReportRun {
  preset: LabPreset;
  label: string;
  run: LabRun;
  /** How the run ended (the engine's NativeTrainResult, or the stored run's status). */
  result: { steps: number; stopped: string; divergence?: string };
}

export interface LabReportInput {
  lab: Lab;
  runs: readonly LabReportRun[];
  checkpoints: readonly CheckpointResult[];
  /** The student's answers by question id (the app's report); absent for `vglab run`. */
  answers?: Readonly<Record<string, string>>;
}

export interface LabReportOptions {
  /** Show the answer key of each question and the lab's notes for the teacher. */
  teacher?: boolean;
}

const e = escapeHtml;


/** The charts of one preset's run: loss, per-layer gradients, the profile at the first and last traced step, and either the activation bound (feed-forward) or the gradient through time (recurrent). */
function runCharts(r: LabReportRun): string[] {
  const traces = r.run.traces;
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  const out = [figure(renderSvg(lossOption(traces), W, H), traceMetric('loss').tooltip)];
  const S = traces.steps.length;
  if (S === 0) return out;
  const grad = traceMetric('out_grad_norm').tooltip;
  out.push(figure(renderSvg(layerGradNormsOption(traces, { log: true }), W, H), grad));
  const rows = S > 1 ? [0, S - 1] : [0];
  const recurrent = traces.recurrent?.nodes ?? [];
  if (recurrent.length === 0) {
    const inputs = r.run.spec.nodes.filter((n) => n.type === 'input').map((n) => n.id);
    out.push(
      figure(
        renderSvg(theoryOverlayOption(traces, r.run.spec, 0, { exclude: inputs }), W, H),
        'The measured gradient at the first traced step beside the most the activations alone would let through.',
      ),
    );
    out.push(figure(renderSvg(gradientProfileOption(traces, S - 1), W, H), grad));
  } else {
    out.push(figure(renderSvg(gradientProfileOption(traces, rows[rows.length - 1]), W, H), grad));
    const timestep = recurrentMetric('timestep_grad_norm').tooltip;
    for (const node of recurrent) {
      for (const row of rows) out.push(figure(renderSvg(timestepProfileOption(traces, node.nodeId, row), W, H), timestep));
    }
  }
  return out;
}

function runSummary(r: LabReportRun): [string, string][] {
  const { result } = r;
  const traces = r.run.traces;
  const loss = traces.metrics.loss;
  const rows: [string, string][] = [
    ['Steps trained', String(result.steps)],
    ['Stopped', result.stopped],
  ];
  if (result.divergence) rows.push(['Divergence', result.divergence]);
  rows.push(['First loss', formatValue(loss[0])], ['Last loss', formatValue(loss[loss.length - 1])]);
  const inputs = new Set(r.run.spec.nodes.filter((n) => n.type === 'input').map((n) => n.id));
  const S = traces.steps.length;
  for (const row of S > 1 ? [0, S - 1] : S === 1 ? [0] : []) {
    const ratio = firstLastGradientRatio(traces, row, inputs);
    rows.push([
      `Gradient reaching the first / last layer at step ${traces.steps[row]}`,
      ratio ? `${formatValue(ratio.ratio)} (${ratio.first} / ${ratio.last})` : 'not available',
    ]);
  }
  return rows;
}

function presetSection(r: LabReportRun): string {
  const p = r.preset;
  const settings: [string, string][] = [
    ['Data set', `${p.dataset.name} ${JSON.stringify(p.dataset.options)}`],
    ['Network', `${r.run.spec.name ?? 'network'}: ${r.run.spec.nodes.length} nodes, loss ${r.run.spec.loss.type}`],
    ...flatten(p.settings),
  ];
  return `<section class="run">
<h3>Run: ${e(r.label)}</h3>
${table(runSummary(r))}
<details><summary>Settings</summary>
${table(settings)}
</details>
${figure(networkDiagramSvg(r.run.spec, { maxWidth: CHART_WIDTH, idPrefix: `preset-${r.preset.id}`, title: `Network of ${r.label}` }), 'The network of this preset: each box a node with its type and output width; dashed arrows are skip connections.', 'network')}
${runCharts(r).join('\n')}
</section>`;
}

function badge(passed: boolean): string {
  return passed ? '<span class="badge pass">✔ Passed</span>' : '<span class="badge fail">✘ Failed</span>';
}

function checkpointRows(checkpoints: readonly LabCheckpoint[], results: readonly CheckpointResult[], labels: Map<string, string>, teacher: boolean): string {
  const byId = new Map(checkpoints.map((c) => [c.id, c]));
  return results
    .map((r) => {
      const cp = byId.get(r.checkpointId);
      const expected = teacher && r.expected ? `<td>${e(r.expected === 'pass' ? 'pass' : 'fail')}</td>` : teacher ? '<td></td>' : '';
      return `<tr class="${r.passed ? 'pass' : 'fail'}"><td>${badge(r.passed)}</td><td>${e(cp?.description ?? r.checkpointId)}</td><td>${e(labels.get(r.presetId) ?? r.presetId)}</td><td>${e(r.measured === null ? '–' : formatValue(r.measured))}</td><td>${e(r.explanation)}</td>${expected}</tr>`;
    })
    .join('\n');
}

/** The student's answer to a question, when the report carries answers at all. */
function studentAnswer(answers: LabReportInput['answers'], id: string): string {
  if (!answers) return '';
  const text = answers[id]?.trim() ?? '';
  return text ? `<p class="student-answer"><strong>Your answer:</strong> ${e(text)}</p>` : '<p class="student-answer muted">Not answered.</p>';
}

const CSS = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; max-width: 860px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05em; margin-top: 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { text-align: left; padding: 0.25em 0.8em 0.25em 0; vertical-align: top; }
th { font-weight: 600; }
table.checkpoints td, table.checkpoints th { border-bottom: 1px solid #eee; }
.badge { font-weight: 700; white-space: nowrap; padding: 0.1em 0.4em; border-radius: 3px; }
.badge.pass { color: #0a5c2b; background: #d8f3e2; }
.badge.fail { color: #8a1111; background: #fbdddd; }
.step { margin: 1em 0; }
.answer { color: #0b4a7a; }
.student-answer { white-space: pre-wrap; }
.muted { color: #666; }
figure { margin: 1.5em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #555; }
@media print { figure:not(.network), tr { break-inside: avoid; } details { display: block; } }
`;

/** The report of a lab run as a complete HTML document (UTF-8, no scripts). */
export function renderLabReport(result: LabReportInput, options: LabReportOptions = {}): string {
  const { lab } = result;
  const teacher = options.teacher === true;
  const runs = new Map(result.runs.map((r) => [r.preset.id, r]));
  const labels = new Map(result.runs.map((r) => [r.preset.id, r.label]));
  const objectives = lab.objectives.map((o) => `<li>${e(o)}</li>`).join('\n');
  const steps = lab.steps
    .map((s, i) => {
      const run = s.preset ? runs.get(s.preset.id) : undefined;
      return `<div class="step">\n<h3>Step ${i + 1}</h3>\n<p>${e(s.text)}</p>\n${run ? presetSection(run) : ''}\n</div>`;
    })
    .join('\n');
  const passed = result.checkpoints.filter((c) => c.passed).length;
  const questions = lab.questions
    .map((q) => `<li><p>${e(q.prompt)}</p>${studentAnswer(result.answers, q.id)}${teacher && q.answer ? `<p class="answer"><strong>Answer:</strong> ${e(q.answer)}</p>` : ''}</li>`)
    .join('\n');
  const notes = teacher && lab.answerKey ? `<h2>Notes for the teacher</h2>\n<p>${e(lab.answerKey)}</p>` : '';
  return `<!DOCTYPE html>
<html lang="${e(lab.language)}">
<head>
<meta charset="utf-8">
${REPORT_CSP_META}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(lab.title)} — lab report</title>
<style>${CSS}</style>
</head>
<body>
<h1>${e(lab.title)}</h1>
<p>${e(lab.summary)}</p>
<h2>Objectives</h2>
<ul>
${objectives}
</ul>
<h2>Checkpoints</h2>
<p>${passed} of ${result.checkpoints.length} passed.</p>
<table class="checkpoints">
<tr><th>Result</th><th>Checkpoint</th><th>Run</th><th>Measured</th><th>Explanation</th>${teacher ? '<th>Expected</th>' : ''}</tr>
${checkpointRows(lab.checkpoints, result.checkpoints, labels, teacher)}
</table>
<h2>Steps</h2>
${steps}
<h2>Questions</h2>
<ol>
${questions}
</ol>
${notes}
</body>
</html>
`;
}
