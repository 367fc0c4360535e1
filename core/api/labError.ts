/**
 * How a LabApi call fails, kept apart from labApi.ts's schemas so the sandboxed
 * preload can rebuild errors without bundling zod (see labMethods.ts).
 */

/**
 * Why a method failed. 'invalid-input': the params or a file are wrong (the message
 * names the field); 'not-found': no such run, file or example; 'conflict': not now
 * (e.g. resuming a completed run); 'unsupported': this host cannot (dialogs in a
 * browser); 'io': the disk said no; 'internal': a bug.
 */
export const LAB_ERROR_CODES = ['invalid-input', 'not-found', 'conflict', 'unsupported', 'io', 'internal'] as const;
export type LabErrorCode = (typeof LAB_ERROR_CODES)[number];

export class LabError extends Error {
  override name = 'LabError';
  constructor(
    readonly code: LabErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A LabError as it crosses a process or network boundary. */
export interface LabErrorPayload {
  code: LabErrorCode;
  message: string;
}

export function toLabErrorPayload(e: unknown): LabErrorPayload {
  if (e instanceof LabError) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export function fromLabErrorPayload(p: unknown): LabError {
  if (p !== null && typeof p === 'object') {
    const { code, message } = p as Record<string, unknown>;
    if (typeof message === 'string' && (LAB_ERROR_CODES as readonly unknown[]).includes(code)) {
      return new LabError(code as LabErrorCode, message);
    }
  }
  return new LabError('internal', 'the lab sent an error it could not describe');
}
