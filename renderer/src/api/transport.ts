/**
 * What the app holds: a LabClient plus the state of the connection under it. The
 * app never asks which transport it has; IPC is simply always 'open'.
 */
import type { LabClient } from '../../../core/api/labApi.ts';

/**
 * 'connecting': first contact or trying again after a drop; 'open': calls go
 * through; 'disconnected': the last attempt failed and another is scheduled.
 */
export type ConnectionState = 'connecting' | 'open' | 'disconnected';

export interface LabTransport extends LabClient {
  readonly connection: ConnectionState;
  /** Called on every change of `connection`; returns the unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** Ends the transport (tests, page unload). */
  close(): void;
}
