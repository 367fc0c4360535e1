/**
 * Decimated lines of a run's traces kept from one chart update to the next: a
 * StreamDecimator per line takes only the rows that arrived since the last
 * update, so a live chart of a 50,000-step run costs each update what is new
 * plus its point budget, not the whole run (copying and decimating 21 columns of
 * 50,000 values ten times a second).
 *
 * The lines start over when the run, their number or their budget changes, or
 * when the rows already taken are not the ones the traces now hold (a restarted
 * run, traces fetched again).
 */
import { StreamDecimator } from '../../../../core/charts/decimate.ts';

export interface LineSource {
  /** Identifies the series (the run); another key starts the lines over. */
  key: string;
  lines: number;
  rows: number;
  /** The x of row r (its training step). */
  x(row: number): number;
  /** The value of line `line` at row r. */
  y(line: number, row: number): number;
}

export class LiveLines {
  private decimators: StreamDecimator[] = [];
  private key = '';
  private lines = -1;
  private budget = -1;
  /** The last row taken, to check it is still the same row: x and the first line's value. */
  private lastX = Number.NaN;
  private lastY = Number.NaN;

  /** Each line's decimated [x, y] pairs (at most `maxPoints` each), up to date with `src`. */
  update(src: LineSource, maxPoints: number): [number, number | null][][] {
    const taken = this.decimators[0]?.length ?? 0;
    const same =
      src.key === this.key &&
      src.lines === this.lines &&
      maxPoints === this.budget &&
      src.rows >= taken &&
      (taken === 0 || (Object.is(src.x(taken - 1), this.lastX) && Object.is(src.y(0, taken - 1), this.lastY)));
    if (!same) {
      this.key = src.key;
      this.lines = src.lines;
      this.budget = maxPoints;
      this.decimators = Array.from({ length: src.lines }, () => new StreamDecimator(maxPoints));
    }
    const from = this.decimators[0]?.length ?? 0;
    for (let line = 0; line < src.lines; line++) {
      const d = this.decimators[line];
      for (let r = from; r < src.rows; r++) d.push(src.x(r), src.y(line, r));
    }
    if (src.rows > 0 && src.lines > 0) {
      this.lastX = src.x(src.rows - 1);
      this.lastY = src.y(0, src.rows - 1);
    }
    return this.decimators.map((d) => d.pairs());
  }
}
