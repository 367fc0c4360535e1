/**
 * Runs `cb` after the next animation frame, in a task of its own (a MessageChannel
 * message), never in the same task as the frame's other callbacks: what `cb`
 * changes is laid out and painted at the frame after, and one slow job cannot make
 * another's frame long. A timer stands in where there are no frames (tests, Node).
 * The trace coalescer and the chart scheduler both pace their work with it.
 */
export function afterFrame(cb: () => void): void {
  if (typeof requestAnimationFrame !== 'function' || typeof MessageChannel !== 'function') {
    setTimeout(cb, 16);
    return;
  }
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      cb();
    };
    channel.port2.postMessage(null);
  });
}
