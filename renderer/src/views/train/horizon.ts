/** The shares of the last timestep's gradient a student can pick as the horizon's threshold. */
export const HORIZON_FRACTIONS = [0.5, 0.1, 0.01, 0.001, 0.0001] as const;

/** A share as a percentage a student reads at a glance: 0.5 -> "50%", 0.0001 -> "0.01%". */
export function fractionText(f: number): string {
  return `${Number((f * 100).toPrecision(3))}%`;
}
