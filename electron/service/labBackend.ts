/**
 * What a transport (the IPC adapter, the browser-mode server) needs from the lab:
 * call a method by name with untrusted params, and hear every event. LabService
 * is the one implementation; the transports never see more of it than this.
 */
import type { LabEventListener, LabMethod, LabResults } from '../../core/api/labApi.ts';

export interface LabBackend {
  /**
   * Validates `params` against the method's schema (LAB_METHODS), then runs it.
   * Rejects with a LabError (code + message naming the field) on bad input.
   */
  dispatch<M extends LabMethod>(method: M, params: unknown): Promise<LabResults[M]>;
  /** Every event of every stream; returns the unsubscribe function. */
  subscribe(listener: LabEventListener): () => void;
}
