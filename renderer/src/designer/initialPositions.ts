// Positions for a network that arrives from outside (a project, a template, an
// example): kept where given, laid out with dagre when none are, and placed
// clear of the others when only some are missing.
import type { NetworkSpecInput } from '../../../core/network/spec.ts';
import { freeSpot, type Positions } from './document.ts';
import { layoutPositions } from './layout.ts';

export function initialPositions(spec: NetworkSpecInput, given: Positions): Positions {
  const ids = spec.nodes.map((n) => n.id);
  const known = ids.filter((id) => given[id] !== undefined);
  if (known.length === 0) return ids.length === 0 ? given : layoutPositions(spec);
  const extra = Object.keys(given).some((id) => !ids.includes(id));
  if (known.length === ids.length && !extra) return given;
  const positions: Positions = {};
  for (const id of known) positions[id] = given[id];
  for (const id of ids) {
    if (positions[id] === undefined) positions[id] = freeSpot({ spec, positions });
  }
  return positions;
}
