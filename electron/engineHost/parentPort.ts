/**
 * The host's side of the channel to the lab, whichever way it was started: as a
 * Node child process (process.send / process.on('message')) or as an Electron
 * utilityProcess (process.parentPort, whose messages arrive as events with .data).
 * Both structured-clone, so typed arrays cross as typed arrays.
 */
import type { HostPort } from './trainingHost.ts';

/** Electron's process.parentPort in a utilityProcess (not in @types/node, and this file must not import electron). */
interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface ParentChannel extends HostPort {
  onCommand(listener: (command: unknown) => void): void;
  /** Resolves once every message sent so far has been written to the channel (not only queued). */
  whenSent(): Promise<void>;
}

/** Connects to the process that started this one; throws when nothing did. */
export function connectToParent(): ParentChannel {
  const parentPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onCommand: (listener) => parentPort.on('message', (event) => listener(event.data)),
      exit: (code) => process.exit(code),
      // postMessage hands the message to Electron at once; there is nothing to wait for here.
      whenSent: () => Promise.resolve(),
    };
  }
  const send = process.send?.bind(process);
  if (send) {
    // The lab is gone (it crashed or was killed): nothing would ever read our messages.
    process.on('disconnect', () => process.exit(0));
    // A big message (a chunk of many steps) may take several turns of the event loop to write.
    // Messages are numbered; they are written in order, so "written up to n" is one number.
    let sent = 0;
    let written = 0;
    let waiters: { upTo: number; resolve: () => void }[] = [];
    const wrote = () => {
      written++;
      const due = waiters.filter((w) => w.upTo <= written);
      waiters = waiters.filter((w) => w.upTo > written);
      for (const w of due) w.resolve();
    };
    return {
      send: (message) => {
        if (!process.connected) return;
        sent++;
        send(message, undefined, undefined, wrote);
      },
      onCommand: (listener) => process.on('message', listener),
      exit: (code) => process.exit(code),
      whenSent: () => (written >= sent ? Promise.resolve() : new Promise((resolve) => waiters.push({ upTo: sent, resolve }))),
    };
  }
  throw new Error(
    'the engine host must be started by the lab, as a child process with an IPC channel or as an Electron utilityProcess',
  );
}
