/**
 * The two IPC channels between the preload and the main process, and the reply
 * envelope. Kept apart from the adapter so the preload bundle imports strings and
 * types only, not the main side.
 */
import type { LabErrorPayload } from '../../core/api/labApi.ts';

/** Renderer -> main, via ipcRenderer.invoke: (method: string, params: unknown) -> LabReply. */
export const LAB_INVOKE_CHANNEL = 'lab:invoke';
/** Main -> renderer, via webContents.send: (event: LabEvent, payload). */
export const LAB_EVENT_CHANNEL = 'lab:event';

/**
 * What lab:invoke resolves to. ipcMain.handle turns a thrown error into a bare
 * message ("Error invoking remote method ..."), losing the LabError code, so the
 * handler never throws: failures travel as data.
 */
export type LabReply<R = unknown> = { ok: true; result: R } | { ok: false; error: LabErrorPayload };
