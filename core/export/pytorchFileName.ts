/**
 * The file name a run's PyTorch module is offered under: a Python module name, so
 * the student can `from run_3 import VglabNet, load_weights` beside it without
 * renaming the file ("Run 3" would not import: a space is not allowed).
 */
export function pytorchFileName(runLabel: string): string {
  const words = runLabel
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // the accents NFKD split off: "é" becomes "e"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  const name = words === '' ? 'vglab_net' : /^[0-9]/.test(words) ? `run_${words}` : words;
  return `${name}.py`;
}
