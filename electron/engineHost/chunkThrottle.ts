/**
 * Holds back trace chunks so that at most one leaves every `intervalMs` however
 * fast training goes: chunks that arrive in between are merged into the one that
 * waits. The engine already batches its chunks (~30 a second), but it may deliver
 * several at once, and a run that is paused and resumed quickly would otherwise
 * send a burst; the renderer redraws on each message, so the host caps them here.
 */
import { mergeChunks, type TraceChunk } from '../../core/traces/chunk.ts';

export class ChunkThrottle {
  private pending: TraceChunk | null = null;
  private lastSent = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `now` in milliseconds (injectable for tests, which fake the clock). */
  constructor(
    private readonly send: (chunk: TraceChunk) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues a chunk: sent now when the last send is long enough ago, else merged and sent when it is. */
  push(chunk: TraceChunk): void {
    this.pending = this.pending ? mergeChunks(this.pending, chunk) : chunk;
    const wait = this.lastSent + this.intervalMs - this.now();
    if (wait <= 0) this.sendPending();
    else this.timer ??= setTimeout(() => this.sendPending(), wait);
  }

  /** Sends whatever waits, at once (when training stops: nothing may be held back then). */
  flush(): void {
    this.sendPending();
  }

  private sendPending(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const chunk = this.pending;
    if (chunk === null) return;
    this.pending = null;
    this.lastSent = this.now();
    this.send(chunk);
  }
}
