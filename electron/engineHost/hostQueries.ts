/**
 * The host's answers to queries (protocol.ts): the trained network's outputs, its
 * Jacobian spectra, its weights, and loading kept weights into a freshly compiled
 * network. The caller (TrainingHost) decides when a query may run; these only ask
 * the engine and put its answer, or its refusal, into a message.
 */
import { DatasetError } from '../../core/datasets/generators.ts';
import type { PreparedRun } from '../engine/trainer.ts';
import { TrainInputError } from '../engine/trainer.ts';
import type { HostMessage, QueryCommand, QueryReply, Weights } from './protocol.ts';

type ErrorCode = Extract<HostMessage, { type: 'error' }>['code'];

/** Errors that describe the student's input (the message names the node or field), not a bug. */
export function errorCode(e: unknown): ErrorCode {
  if (e instanceof TrainInputError || e instanceof DatasetError) return 'invalid-input';
  // The addon marks its input errors (a bad spec, a bad CSV file, over the memory cap) with this code.
  if ((e as { code?: unknown } | null)?.code === 'VGLAB_INVALID_INPUT') return 'invalid-input';
  return 'internal';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Answers one query from `run`'s network (which must not be training). Never rejects. */
export async function answerQuery(run: PreparedRun, query: QueryCommand): Promise<QueryReply> {
  const { id } = query;
  try {
    switch (query.type) {
      case 'predict':
        return { type: 'prediction', id, output: run.net.predict(query.x, query.rows) };
      case 'jacobian': {
        // The engine refuses sequence networks with a message naming the node; it goes back word for word.
        const spectra = await run.net.jacobian(query.x, query.samples);
        return { type: 'spectra', id, spectra: { samples: spectra.samples, network: spectra.network, nodes: spectra.nodes } };
      }
      case 'weights':
        return { type: 'weights', id, params: run.net.getParams() };
    }
  } catch (e) {
    return { type: 'refused', id, code: errorCode(e), message: errorText(e) };
  }
}

/**
 * Loads `weights` into `run`'s network: exactly its parameters, each exactly its
 * size (a missing one would silently keep its fresh value). Throws TrainInputError
 * naming the parameter.
 */
export function loadWeights(run: PreparedRun, weights: Weights): void {
  const expected = new Map(run.info.params.map((p) => [p.name, p.rows * p.cols]));
  for (const name of Object.keys(weights)) {
    if (!expected.has(name)) throw new TrainInputError(`weights.${name}: the network has no such parameter`);
  }
  for (const [name, size] of expected) {
    const values = weights[name];
    if (!values) throw new TrainInputError(`weights.${name}: missing (the network has this parameter)`);
    if (values.length !== size) throw new TrainInputError(`weights.${name}: holds ${values.length} values; the parameter has ${size}`);
    run.net.setParam(name, values);
  }
}
