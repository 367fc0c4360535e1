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
}

/** Connects to the process that started this one; throws when nothing did. */
export function connectToParent(): ParentChannel {
  const parentPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onCommand: (listener) => parentPort.on('message', (event) => listener(event.data)),
      exit: (code) => process.exit(code),
    };
  }
  const send = process.send?.bind(process);
  if (send) {
    // The lab is gone (it crashed or was killed): nothing would ever read our messages.
    process.on('disconnect', () => process.exit(0));
    return {
      send: (message) => {
        if (process.connected) send(message);
      },
      onCommand: (listener) => process.on('message', listener),
      exit: (code) => process.exit(code),
    };
  }
  throw new Error(
    'the engine host must be started by the lab, as a child process with an IPC channel or as an Electron utilityProcess',
  );
}
