/**
 * The `vglab` command line. Exit codes a script can rely on:
 *   0 success, 1 invalid input (the message names what is wrong), 2 internal error.
 */
import { Command, CommanderError } from 'commander';

import { referenceCommand } from './reference.ts';

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

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 1);
  throw e;
}
