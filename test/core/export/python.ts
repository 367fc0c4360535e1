// Runs generated PyTorch files in a real Python: a syntax check that needs only
// python3 (as in CI), and a runner that loads the module with its weights, feeds it
// a batch and returns its outputs and loss, for where python3-torch is installed.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Python every check uses for syntax: VGLAB_PYTHON, else python3 on the PATH. */
export const PYTHON = process.env.VGLAB_PYTHON ?? 'python3';

function run(python: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

/**
 * A Python that imports torch: VGLAB_PYTHON when it is set (and only it, so CI's case
 * can be tried on a machine with torch), else python3 on the PATH or Debian's
 * /usr/bin/python3 (python3-torch installs there, and a pyenv python3 may shadow it);
 * null when none does.
 */
export const TORCH_PYTHON: string | null = (() => {
  const candidates = process.env.VGLAB_PYTHON ? [process.env.VGLAB_PYTHON] : ['python3', '/usr/bin/python3'];
  return candidates.find((p) => run(p, ['-c', 'import torch']).status === 0) ?? null;
})();

export const TORCH_MISSING_NOTE = 'python3-torch is not installed: the PyTorch export is checked for syntax only';

/** Parses `file` with Python's own parser; returns its error text, or '' when it parses. */
export function pythonSyntaxError(file: string): string {
  const r = run(PYTHON, ['-c', 'import ast, sys; ast.parse(open(sys.argv[1], encoding="ascii").read(), sys.argv[1])', file]);
  return r.status === 0 ? '' : r.stderr || `exit ${r.status}`;
}

/** The value of the module-level constant `name` of `file`, read by Python's parser (the file is not run). */
export function pythonConstant(file: string, name: string): unknown {
  const script = [
    'import ast, json, sys',
    'tree = ast.parse(open(sys.argv[1], encoding="ascii").read())',
    'for node in tree.body:',
    '    if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == sys.argv[2] for t in node.targets):',
    '        print(json.dumps(ast.literal_eval(node.value)))',
    '        break',
  ].join('\n');
  const r = run(PYTHON, ['-c', script, file, name]);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const RUNNER = `
import array, importlib.util, json, sys
import torch

spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
job = json.loads(sys.argv[2])

def read(path, typecode):
    values = array.array(typecode)
    values.frombytes(open(path, "rb").read())
    if sys.byteorder == "big":
        values.byteswap()
    return values

model = module.load_weights(module.VglabNet())
model.train(job["mode"] == "train")
x = torch.tensor(read(job["x"], "f"), dtype=torch.float32).reshape(job["xShape"])
with torch.no_grad():
    out = model(x)
    loss = None
    if "target" in job:
        t = read(job["target"], job["targetType"])
        target = torch.tensor(t, dtype=torch.int64 if job["targetType"] == "i" else torch.float32)
        loss = module.loss_fn(out, target).item()
values = array.array("f", out.reshape(-1).tolist())
if sys.byteorder == "big":
    values.byteswap()
open(job["out"], "wb").write(values.tobytes())
print(json.dumps({"loss": loss, "shape": list(out.shape), "parameters": sum(p.numel() for p in model.parameters())}))
`;

export interface TorchResult {
  output: Float32Array;
  shape: number[];
  /** loss_fn(output, target), when a target was given. */
  loss: number | null;
  /** Trainable values of the module. */
  parameters: number;
}

/**
 * Loads the exported module at `file` in TORCH_PYTHON, sets its weights, runs x
 * (shape xShape) through it in `mode` and, given a target (Int32Array: class
 * indices; Float32Array: values), its loss_fn. Files go into `dir`.
 */
export function runInTorch(
  file: string,
  dir: string,
  x: Float32Array,
  xShape: number[],
  mode: 'eval' | 'train',
  target?: Int32Array | Float32Array,
): TorchResult {
  if (!TORCH_PYTHON) throw new Error(TORCH_MISSING_NOTE);
  const bytes = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const job: Record<string, unknown> = { x: join(dir, 'x.f32'), xShape, mode, out: join(dir, 'out.f32') };
  writeFileSync(job.x as string, bytes(x));
  if (target) {
    job.target = join(dir, 'target.bin');
    job.targetType = target instanceof Int32Array ? 'i' : 'f';
    writeFileSync(job.target as string, bytes(target));
  }
  const r = run(TORCH_PYTHON, ['-c', RUNNER, file, JSON.stringify(job)]);
  if (r.status !== 0) throw new Error(`the exported module failed in Python:\n${r.stderr}`);
  const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as { loss: number | null; shape: number[]; parameters: number };
  const raw = readFileSync(job.out as string);
  const output = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  return { output, ...result };
}

/** The largest |a - e| / (|e| + floor) over the arrays: a relative error that small values cannot blow up. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor: number): number {
  if (actual.length !== expected.length) throw new Error(`lengths differ: ${actual.length} and ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (Math.abs(expected[i]) + floor));
  }
  return worst;
}
