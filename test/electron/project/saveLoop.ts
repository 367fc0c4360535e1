// Child process of crashSafety.test.ts (run with `node --import tsx`, not by the
// test runner): saves ever newer versions of a large project to one file until it
// is killed. Prints "ready" once, then "saved <version>" after each save returns.
//   node --import tsx saveLoop.ts <target> <first version> <layers> <rows>
// Version v carries the traces filledColumns(layers, rows, v % 2), built once, so
// most of each loop is spent writing: the kills land mid-save as often as possible.
import { saveProject } from '../../../electron/project/projectFile.ts';
import { filledColumns, makeProject } from '../../core/project/helpers.ts';

const [target, first, layers, rows] = process.argv.slice(2);
const traces = [0, 1].map((seed) => makeProject(0, filledColumns(Number(layers), Number(rows), seed)).runs![0].traces);
process.stdout.write('ready\n');
for (let version = Number(first); ; version++) {
  const project = makeProject(version);
  project.runs![0].traces = traces[version % 2];
  saveProject(target, project);
  process.stdout.write(`saved ${version}\n`);
}
