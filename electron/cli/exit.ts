/** The `code` the native engine puts on errors caused by its caller's input. */
export const INVALID_INPUT_CODE = 'VGLAB_INVALID_INPUT';

/**
 * Runs a command body and sets the exit code: the body's own code on success; 1 with
 * a one-line message for invalid input (an error of one of `inputErrors`, or one the
 * engine marked as caused by its input); 2 with the stack for anything else (a bug).
 */
export function exitWith(body: () => number, ...inputErrors: (abstract new (...args: never[]) => Error)[]): void {
  try {
    process.exitCode = body();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const fromInput =
      inputErrors.some((cls) => err instanceof cls) || (err as Error & { code?: unknown }).code === INVALID_INPUT_CODE;
    process.stderr.write(`vglab: ${err.message}\n`);
    if (!fromInput && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = fromInput ? 1 : 2;
  }
}
