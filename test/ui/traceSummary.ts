/**
 * Where a page's long tasks went, from a Chrome trace (CDP Tracing, categories
 * devtools.timeline and v8.execute): the renderer's main-thread tasks of at least
 * `minMs`, and the time inside them by what Blink was doing, exclusive of nested
 * work. "LayerTreeHost::DoUpdateLayers" with nothing nested is canvas raster at
 * commit (an unaccelerated 2D canvas is drawn there, on the main thread);
 * "FunctionCall <name>" is JavaScript entered from the event loop (a frame
 * callback, a socket message); "RunMicrotasks" is what promises and Vue's
 * scheduler ran after it.
 */

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { functionName?: string; type?: string } };
}

export interface TraceSummary {
  /** Main-thread tasks of at least minMs: count and total (ms). */
  tasks: number;
  totalMs: number;
  /** Exclusive time per kind of work inside those tasks (ms), largest first. */
  byKind: { kind: string; ms: number }[];
}

export function summariseLongTasks(events: readonly TraceEvent[], minMs = 100): TraceSummary {
  const withJs = new Set(events.filter((e) => e.name === 'FunctionCall').map((e) => `${e.pid}/${e.tid}`));
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && withJs.has(`${e.pid}/${e.tid}`));
  if (!main) return { tasks: 0, totalMs: 0, byKind: [] };
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur! >= minMs * 1000);
  const byKind = new Map<string, number>();
  for (const task of tasks) {
    const end = task.ts + task.dur!;
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end);
    // Exclusive time: each event's duration less that of the events directly inside it.
    const self = new Map<TraceEvent, number>();
    const stack: TraceEvent[] = [];
    for (const e of inside) {
      while (stack.length > 0 && stack[stack.length - 1].ts + stack[stack.length - 1].dur! <= e.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) self.set(parent, (self.get(parent) ?? parent.dur!) - e.dur!);
      if (!self.has(e)) self.set(e, e.dur!);
      stack.push(e);
    }
    for (const [e, us] of self) {
      const detail = e.name === 'FunctionCall' ? e.args?.data?.functionName : undefined;
      const kind = detail ? `${e.name} ${detail}` : e.name;
      byKind.set(kind, (byKind.get(kind) ?? 0) + us / 1000);
    }
  }
  return {
    tasks: tasks.length,
    totalMs: Math.round(tasks.reduce((s, t) => s + t.dur!, 0) / 1000),
    byKind: [...byKind]
      .map(([kind, ms]) => ({ kind, ms: Math.round(ms) }))
      .filter((k) => k.ms > 0)
      .sort((a, b) => b.ms - a.ms),
  };
}
