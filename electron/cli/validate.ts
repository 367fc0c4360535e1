/**
 * `vglab validate FILE`: exit 0 with a one-line summary for a valid network, project
 * or reference case; exit 1 with every problem (naming node and field) otherwise.
 */
import { readFileSync } from 'node:fs';

import { NETWORK_FORMAT } from '../../core/network/spec.ts';
import { validateNetwork } from '../../core/network/validate.ts';
import { parseReferenceCase, REFERENCE_FORMAT } from '../../core/reference/case.ts';
import { loadAddon } from '../engine/addon.ts';
import { exitWith } from './exit.ts';

export class ValidationFailed extends Error {}

/** Checks a network with the TypeScript validator, then compiles it natively (the engine's own checks). */
export function checkNetwork(spec: unknown): string {
  const v = validateNetwork(spec);
  if (!v.ok) throw new ValidationFailed(v.errors.map((e) => e.message).join('\n'));
  const info = new (loadAddon().Network)(v.spec).info();
  return `${info.nodes.length} nodes, ${info.parameterCount.toLocaleString('en-US')} parameters`;
}

function summary(path: string, json: unknown): string {
  const format = json !== null && typeof json === 'object' ? (json as { format?: unknown }).format : undefined;
  if (format === NETWORK_FORMAT) return `${path}: a valid network (${checkNetwork(json)})`;
  if (format === REFERENCE_FORMAT) {
    const r = parseReferenceCase(json);
    if (!r.ok) throw new ValidationFailed(r.errors.join('\n'));
    return `${path}: a valid reference case (${r.case.layers.length} layers)`;
  }
  throw new ValidationFailed(
    `${path}: "format" is ${JSON.stringify(format)}; expected "${NETWORK_FORMAT}" or "${REFERENCE_FORMAT}"`,
  );
}

export function validateCommand(path: string): void {
  exitWith(() => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ValidationFailed(`cannot read ${path}: ${(e as Error).message}`);
    }
    process.stdout.write(`${summary(path, json)}\n`);
    return 0;
  }, ValidationFailed);
}
