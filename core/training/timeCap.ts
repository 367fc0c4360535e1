/**
 * The time cap: how long one run may train (wall-clock time spent training; time
 * standing paused does not count) before the lab stops it between two steps,
 * keeping its traces and weights. One definition of the default, of how a cap given
 * in minutes is read, and of the words a student reads when a run reaches it, for
 * the lab service, `vglab serve`, `vglab train` and `vglab run`.
 */

/** The lab's cap when none is given: a class's run should not hold a shared machine longer. */
export const DEFAULT_TIME_CAP_MINUTES = 60;

/** The largest cap a command line accepts (a week), so a typo does not overflow a timer. */
export const MAX_TIME_CAP_MINUTES = 7 * 24 * 60;

/**
 * Minutes as typed on a command line ("60", "0.5", "0" for no cap) -> milliseconds
 * (0: no cap). Null when `raw` is not a number from 0 to MAX_TIME_CAP_MINUTES.
 */
export function timeCapMsFromMinutes(raw: string): number | null {
  const minutes = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(minutes) || minutes < 0 || minutes > MAX_TIME_CAP_MINUTES) return null;
  return Math.round(minutes * 60_000);
}

/** What a command line says when --time-cap cannot be read. */
export const TIME_CAP_OPTION_HELP = `a number of minutes from 0 to ${MAX_TIME_CAP_MINUTES} (0: no cap)`;

/** 3_600_000 -> "60 min", 90_000 -> "1.5 min", 500 -> "0.5 s": minutes from one minute up, seconds below. */
export function formatTimeCap(ms: number): string {
  const round = (x: number) => String(Math.round(x * 100) / 100);
  return ms >= 60_000 ? `${round(ms / 60_000)} min` : `${round(ms / 1000)} s`;
}

/** 12345 -> "12,345", the same on every locale. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Why a run stopped early: "Stopped at the time cap of 60 min after step 1,234 of 50,000; ...". */
export function timeCapMessage(capMs: number, stepsDone: number, steps: number): string {
  return (
    `Stopped at the time cap of ${formatTimeCap(capMs)} after step ${grouped(stepsDone)} of ${grouped(steps)}; ` +
    'its traces and weights are kept. To train further, set fewer steps or ask for a longer cap (--time-cap).'
  );
}
