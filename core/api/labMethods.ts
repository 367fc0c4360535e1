/**
 * The names of every LabApi method and event stream, with no schema attached, for
 * code that must stay small: the sandboxed preload is one bundled file parsed on
 * every page load, and importing labApi.ts would bundle zod into it (its schemas
 * are built when the module loads, so no bundler can drop them).
 *
 * labApi.ts checks at compile time that these lists name exactly the keys of
 * LAB_METHODS and LabEvents: adding a verb there fails the build until it is
 * named here too.
 */

export const LAB_METHOD_NAMES = [
  'app.info',
  'datasets.list',
  'datasets.preview',
  'datasets.importCsv',
  'datasets.importCsvDialog',
  'network.check',
  'project.get',
  'project.new',
  'project.open',
  'project.openDialog',
  'project.openText',
  'project.examples',
  'project.openExample',
  'project.update',
  'project.save',
  'project.saveAs',
  'project.saveDialog',
  'project.serialize',
  'project.recent',
  'project.recoveries',
  'project.recover',
  'project.discardRecovery',
  'runs.list',
  'runs.create',
  'runs.start',
  'runs.pause',
  'runs.resume',
  'runs.step',
  'runs.stop',
  'runs.restart',
  'runs.delete',
  'runs.rename',
  'runs.traces',
  'runs.predict',
  'runs.jacobian',
  'runs.decisionBoundary',
  'export.traces',
  'export.tracesArchive',
  'export.tracesDialog',
  'export.report',
  'export.reportHtml',
  'export.reportPdf',
  'export.reportDialog',
  'export.pytorch',
  'export.pytorchSource',
  'export.pytorchDialog',
  'labs.list',
  'labs.open',
  'labs.openText',
  'labs.startPreset',
  'labs.checkpoints',
  'labs.saveAnswers',
  'labs.exportReport',
  'labs.exportReportPdf',
  'labs.saveReport',
  'labs.saveReportDialog',
] as const;

/** A method's name; the same type as labApi.ts's LabMethod (checked there). */
export type LabMethodName = (typeof LAB_METHOD_NAMES)[number];

export const LAB_EVENT_NAMES = ['run.updated', 'run.traces', 'runs.changed', 'project.changed', 'app.command'] as const;

/** An event stream's name; the same type as labApi.ts's LabEvent (checked there). */
export type LabEventName = (typeof LAB_EVENT_NAMES)[number];

const methodNames: ReadonlySet<string> = new Set(LAB_METHOD_NAMES);
const eventNames: ReadonlySet<string> = new Set(LAB_EVENT_NAMES);

export function isLabMethod(name: unknown): name is LabMethodName {
  return typeof name === 'string' && methodNames.has(name);
}

export function isLabEvent(name: unknown): name is LabEventName {
  return typeof name === 'string' && eventNames.has(name);
}
