/**
 * Starts engine hosts as Node child processes (the CLI, the browser-mode server,
 * tests). Electron's main process uses a utilityProcess launcher instead
 * (electron/main), against the same HostLauncher interface.
 */
import { type ChildProcess, type Serializable, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { HostChannel, HostLauncher } from './launcher.ts';

export interface NodeHostLauncherOptions {
  /** The host entry script; default host.ts (or host.js, when this file was built to .js) beside this file. */
  entry?: string;
  /** Environment of the host; default this process's. */
  env?: NodeJS.ProcessEnv;
}

/** host.ts next to this module, whichever extension this module itself has (source or built). */
function defaultEntry(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./host${ext}`, import.meta.url));
}

/**
 * Node flags that let the child run TypeScript: tsx's loader, by absolute URL so it
 * resolves whatever the child's working directory is.
 */
function execArgvFor(entry: string): string[] {
  if (!entry.endsWith('.ts')) return [];
  const loader = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(loader).href];
}

function channelOf(child: ChildProcess): HostChannel {
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  let gone = false;
  const exited = (code: number | null, signal: string | null) => {
    if (gone) return;
    gone = true;
    for (const listener of exitListeners) listener(code, signal);
  };
  // 'close', not 'exit': 'exit' can come before messages the host sent just before it died
  // are read from the channel, and the lab would say a crashed run got less far than it did.
  // 'close' waits for the channel to end, after its last message.
  child.once('close', exited);
  // 'error': the process could not be spawned (then no 'exit' comes) or a message could not be sent.
  child.on('error', () => {
    if (child.pid === undefined) exited(null, null);
  });
  return {
    post: (message) => {
      if (child.connected) child.send(message as Serializable);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => {
      if (!gone) child.kill('SIGKILL');
    },
    get pid() {
      return child.pid;
    },
  };
}

export class NodeHostLauncher implements HostLauncher {
  private readonly entry: string;

  constructor(private readonly options: NodeHostLauncherOptions = {}) {
    this.entry = options.entry ?? defaultEntry();
  }

  launch(): HostChannel {
    const child = fork(this.entry, [], {
      // Structured clone instead of JSON: trace chunks' typed arrays arrive as typed arrays.
      serialization: 'advanced',
      execArgv: execArgvFor(this.entry),
      // The host's stdout goes to our stderr: the CLI's stdout carries its JSON summary and nothing else.
      stdio: ['ignore', 2, 2, 'ipc'],
      ...(this.options.env ? { env: this.options.env } : {}),
    });
    return channelOf(child);
  }
}
