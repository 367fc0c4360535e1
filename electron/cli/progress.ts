/**
 * A one-line progress bar for a terminal; silent when the stream is not a TTY (so
 * logs and pipes stay clean).
 */
export class ProgressBar {
  private last = -1;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream,
  ) {}

  update(done: number): void {
    if (!this.stream.isTTY) return;
    const percent = Math.floor((100 * done) / this.total);
    if (percent === this.last) return;
    this.last = percent;
    const width = 30;
    const filled = Math.round((width * done) / this.total);
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    this.stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${done}/${this.total} steps  ${rate.toFixed(0)} steps/s`,
    );
  }

  done(): void {
    if (this.stream.isTTY && this.last >= 0) this.stream.write('\n');
  }
}
