// Child process of saveUnderFire.test.ts, bundled by the test with esbuild into one
// CommonJS file so it starts fast (200 of them are killed). It opens the project and
// saves ever newer versions of it until it is killed, the way LabService's
// project.save does: ProjectSession.save (validate, serialize, writeFileAtomic, drop
// the recovery file). The whole LabService would also bundle the report renderer
// (ECharts) and spend most of each short life loading it.
// Prints "ready" once, then "saved <version>" after each save has returned.
//   node saveUnderFireChild.cjs <project> <data dir> <first version>
import { join } from 'node:path';

import { openProject } from '../../electron/project/projectFile.ts';
import { ProjectSession } from '../../electron/service/projectSession.ts';

const [target, dataDir, first] = process.argv.slice(2) as [string, string, string];
const opened = openProject(target);
if (!opened.ok) {
  process.stderr.write(`${opened.error}\n`);
  process.exit(3);
}
const { runs, ...content } = opened.project;
const session = new ProjectSession(join(dataDir, 'recovery'));
session.replace(content, target);
process.stdout.write('ready\n');
for (let version = Number(first); ; version++) {
  session.update({ name: `v${version}` });
  session.save(runs);
  process.stdout.write(`saved ${version}\n`);
}
