/**
 * The `vglab` command line. Exit codes a script can rely on:
 *   0 success, 1 invalid input (the message names what is wrong), 2 internal error,
 *   3 training diverged (NaN or Inf; the summary says where),
 *   4 training stopped at --time-cap (the traces so far are written; the summary's stop_reason says where).
 */
import { Command, CommanderError } from 'commander';

import { DATASET_NAMES } from '../../core/datasets/catalog.ts';
import { DEFAULT_TIME_CAP_MINUTES } from '../../core/training/timeCap.ts';
import { referenceCommand } from './reference.ts';
import { runCommand } from './run.ts';
import type { ServeCommandOptions } from './serve.ts';
import { trainCommand } from './train.ts';
import { validateCommand } from './validate.ts';

const program = new Command();
program
  .name('vglab')
  .description('Vanishing Gradient Lab: train small networks natively and trace their gradients')
  .exitOverride();

program
  .command('reference')
  .description("evaluate a PyTorch reference case with our engine; prints the case's expected keys as JSON")
  .argument('<case>', 'path of a vglab-reference-case/1 JSON file')
  .option('--check', 'also compare with the expected values and exit 1 when outside the tolerance')
  .action(referenceCommand);

program
  .command('train')
  .description('train a network headless on a built-in data set or a CSV file and write its traces')
  .argument('<network>', 'path of a vglab-network/1 JSON file')
  .option('--dataset <name>', `built-in data set: ${DATASET_NAMES.join(', ')}`, 'spiral')
  .option('--data <options>', 'data set options as key=value,key=value (e.g. n=400,noise=0.1,seed=1)')
  .option('--csv <file>', 'train on a CSV file instead (header row, numeric features)')
  .option('--target <column>', 'the CSV column to predict (default: the last)')
  .option('--standardize', 'z-score the CSV features')
  .option('--sequence-column <column>', 'CSV in long layout: one row per timestep, this column names the sequence')
  .option('--optimizer <type>', 'sgd, momentum or adam', 'adam')
  .option('--lr <rate>', 'learning rate', '0.01')
  .option('--steps <n>', 'training steps', '1000')
  .option('--batch-size <n>', 'rows per step', '32')
  .option('--trace-every <k>', 'record traces every k steps', '10')
  .option('--seed <n>', 'seed of the weights, batch order, dropout and the test split', '0')
  .option('--test-fraction <F>', 'hold this share of the rows out for testing, 0 to 0.9: the run never trains on them and measures its loss and accuracy on them as it goes (evaluations.csv)', '0')
  .option('--clip-norm <max>', 'clip the global gradient norm')
  .option('--no-histogram', 'skip the log10|g| histograms')
  .option('--memory-cap <MiB>', 'refuse a batch whose activations and gradients need more memory', '2048')
  .option('--time-cap <minutes>', 'stop after the step that passes this much training time; traces so far are written, exit 4 (default: no cap)')
  .option('--out <dir>', 'write traces.json, steps.csv, nodes.csv, params.csv (and timesteps.csv, gates.csv, evaluations.csv) here')
  .option('--parquet', 'with --out: also write each table as a .parquet file (steps.parquet, nodes.parquet, ...)')
  .action(trainCommand);

program
  .command('run')
  .description(
    'train a .vglab project with its own network, data set and settings, or every preset of a lab file and judge its checkpoints; write traces and report.html',
  )
  .argument('<project>', 'path of a .vglab project file or a vglab-lab/1 lab file (labs/*.json)')
  .option('--steps <n>', "training steps (default: the project's)")
  .option('--csv <file>', 'the CSV file of a project that trains on one (read with the project\'s CSV settings)')
  .option('--time-cap <minutes>', 'projects: stop after the step that passes this much training time; traces and report so far are written, exit 4 (default: no cap)')
  .option('--out <dir>', 'write traces.json, the CSV tables and report.html here (default: <project>-run beside the project file)')
  .option('--teacher', 'lab files: show the answer key in the report')
  .option('--parquet', 'also write each trace table as a .parquet file beside its CSV')
  .option('--pdf', 'also write report.pdf, printed by a local Chromium or Chrome (VGLAB_CHROMIUM names one)')
  .action(runCommand);

program
  .command('serve')
  .description('serve the lab to a web browser: prints "Lab ready at URL"; Ctrl-C stops it')
  .option('--host <address>', 'the address to listen on (0.0.0.0 for every network, e.g. a classroom)', '127.0.0.1')
  .option('--port <n>', 'the port (default 5174; 0 picks a free one)')
  .option('--static <dir>', 'the built renderer (default: out/renderer, from npm run build:renderer)')
  .option('--time-cap <minutes>', `stop a run between two steps once it has trained this long, keeping its traces (default ${DEFAULT_TIME_CAP_MINUTES}; 0: no cap)`)
  // Loaded on use: the other commands need neither the service nor the WebSocket server.
  .action(async (o: ServeCommandOptions) => (await import('./serve.ts')).serveCommand(o));

program
  .command('validate')
  .description('check a network, project, lab or reference-case file: exit 0 when valid, 1 with the problems')
  .argument('<file>', 'a JSON file')
  .action(validateCommand);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 1);
  throw e;
}
