// Text that goes into generated Python source: string literals, comments,
// identifiers, numbers and base64 blocks. Everything produced here is printable
// ASCII, so no embedded text can end a string or a comment early, and the file
// reads the same whatever encoding an editor assumes.

/** Python's keywords and soft keywords: never identifiers of ours. */
const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type',
]);

/**
 * Public attributes of torch.nn.Module (1.13 and 2.x): a layer stored under one of
 * these names would hide the method (a node called "eval" or "to").
 */
const MODULE_ATTRIBUTES = new Set([
  'T_destination', 'add_module', 'apply', 'bfloat16', 'buffers', 'call_super_init', 'children', 'compile', 'cpu',
  'cuda', 'double', 'dump_patches', 'eval', 'extra_repr', 'float', 'forward', 'get_buffer', 'get_extra_state',
  'get_parameter', 'get_submodule', 'half', 'ipu', 'load_state_dict', 'modules', 'mtia', 'named_buffers',
  'named_children', 'named_modules', 'named_parameters', 'parameters', 'register_backward_hook', 'register_buffer',
  'register_forward_hook', 'register_forward_pre_hook', 'register_full_backward_hook',
  'register_full_backward_pre_hook', 'register_load_state_dict_post_hook', 'register_load_state_dict_pre_hook',
  'register_module', 'register_parameter', 'register_state_dict_post_hook', 'register_state_dict_pre_hook',
  'requires_grad_', 'set_extra_state', 'set_submodule', 'share_memory', 'state_dict', 'to', 'to_empty', 'train',
  'training', 'type', 'xpu', 'zero_grad',
]);

function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/**
 * A Python str literal (single quotes) holding exactly `text`: printable ASCII as
 * it is, a backslash and a quote escaped, everything else (line breaks, control
 * characters, non-ASCII, lone surrogates) as \x, \u or \U escapes.
 */
export function pyString(text: string): string {
  let out = "'";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else out += escapeCodePoint(cp);
  }
  return `${out}'`;
}

/**
 * Text for a `#` comment: printable ASCII as it is, anything else (a line break
 * above all, which would end the comment and start a statement) as an escape.
 */
export function pyComment(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += cp >= 0x20 && cp < 0x7f ? ch : escapeCodePoint(cp);
  }
  return out;
}

/** A float literal with the same double value (JavaScript's and Python's shortest forms agree). */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`${x} has no Python float literal here`);
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A Python bool literal. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/**
 * Turns names (node ids) into distinct Python identifiers, safe as attributes of an
 * nn.Module: characters outside [A-Za-z0-9_] become "_", a name that would start
 * with a digit or "_" gets "layer_" in front, keywords and nn.Module's own
 * attributes get a trailing "_", and a repeat gets "_2", "_3", ...
 */
export class IdentifierTable {
  private readonly taken = new Set<string>();
  private readonly byName = new Map<string, string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.taken.add(r);
  }

  /** The identifier of `name` (the same one every time it is asked). */
  of(name: string): string {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    let base = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (base === '' || /^[0-9_]/.test(base)) base = `layer_${base}`;
    if (PYTHON_KEYWORDS.has(base) || MODULE_ATTRIBUTES.has(base)) base = `${base}_`;
    let id = base;
    for (let k = 2; this.taken.has(id); k++) id = `${base}_${k}`;
    this.taken.add(id);
    this.byName.set(name, id);
    return id;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_CODES = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));
const PAD = 61; // '='
const NEWLINE = 10;

/**
 * Standard base64 of `bytes` (with "=" padding), broken into lines of `lineLength`
 * characters (a multiple of 4) joined by "\n". Python's base64.b64decode skips the
 * line breaks. Built as one ASCII byte array, so a tensor of millions of values
 * costs no per-character string concatenation.
 */
export function base64Lines(bytes: Uint8Array, lineLength = 76): string {
  const chars = 4 * Math.ceil(bytes.length / 3);
  const lines = Math.max(1, Math.ceil(chars / lineLength));
  const out = new Uint8Array(chars + lines - 1);
  let o = 0;
  let col = 0;
  const put = (c: number) => {
    if (col === lineLength) {
      out[o++] = NEWLINE;
      col = 0;
    }
    out[o++] = c;
    col++;
  };
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    put(BASE64_CODES[(n >> 18) & 63]);
    put(BASE64_CODES[(n >> 12) & 63]);
    put(BASE64_CODES[(n >> 6) & 63]);
    put(BASE64_CODES[n & 63]);
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest > 1 ? bytes[i + 1] << 8 : 0);
    put(BASE64_CODES[(n >> 18) & 63]);
    put(BASE64_CODES[(n >> 12) & 63]);
    put(rest > 1 ? BASE64_CODES[(n >> 6) & 63] : PAD);
    put(PAD);
  }
  return new TextDecoder('latin1').decode(out.subarray(0, o));
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The IEEE-754 bytes of `values`, little-endian whatever this machine's order (NaN payloads kept on little-endian hosts). */
export function float32LittleEndian(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}
