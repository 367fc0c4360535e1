/**
 * `vglab serve [--host H] [--port P] [--static DIR] [--time-cap MIN]`: the lab in a web browser. Starts
 * a LabService (browser mode, data in $VGLAB_DATA_DIR or ~/.vglab) behind the
 * browser-mode server and prints one line to stdout:
 *
 *   Lab ready at http://127.0.0.1:PORT/?token=TOKEN
 *
 * With --host 0.0.0.0 (or ::) that first line is still the loopback address, and one
 * "Also at ..." line follows per network address, for students' machines.
 * SIGINT or SIGTERM closes the server, disposes the service and exits 0; a second
 * Ctrl-C during that ends the process at once (the default action).
 * Each run may train for --time-cap minutes (default DEFAULT_TIME_CAP_MINUTES, 0: no
 * cap) before it is stopped between two steps, keeping its traces and weights.
 * Exit 1 with one line for a bad --host, --port, --static or --time-cap, or a port in use.
 *
 * The default port is fixed (DEFAULT_PORT) so a classroom can share one address and
 * the renderer's dev proxy finds the server; --port 0 picks any free port.
 */
import { mkdirSync, statSync } from 'node:fs';
import { homedir, networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';

import { TIME_CAP_OPTION_HELP, timeCapMsFromMinutes } from '../../core/training/timeCap.ts';
import { isWildcardAddress } from '../server/hostPolicy.ts';
import { startLabServer, type LabServer } from '../server/labServer.ts';
import { LabService } from '../service/labService.ts';

export interface ServeCommandOptions {
  host: string;
  /** DEFAULT_PORT when not given. */
  port?: string;
  static?: string;
  /** Minutes a run may train; DEFAULT_TIME_CAP_MINUTES when not given. */
  timeCap?: string;
}

/** A mistake in the command line or the environment: exit 1 with its message alone. */
export class ServeInputError extends Error {
  override name = 'ServeInputError';
}

/** The port when --port is not given (Vite's dev server takes 5173, the one below). */
export const DEFAULT_PORT = 5174;

/** The Vite output of renderer/, relative to this file so it works from any working directory. */
export const DEFAULT_STATIC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'renderer');

/** Where the service keeps recent projects and autosaves. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.VGLAB_DATA_DIR || join(homedir(), '.vglab');
}

export function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ServeInputError(`--port: "${raw}" is not a port number from 0 to 65535 (0 picks a free one)`);
  }
  return Number(raw);
}

export function parseHost(raw: string): string {
  if (raw !== 'localhost' && isIP(raw) === 0) {
    throw new ServeInputError(`--host: "${raw}" is not an IP address (such as 127.0.0.1 or 0.0.0.0) or localhost`);
  }
  return raw;
}

/** --time-cap in minutes -> milliseconds (0: no cap). */
export function parseTimeCap(raw: string): number {
  const ms = timeCapMsFromMinutes(raw);
  if (ms === null) throw new ServeInputError(`--time-cap: "${raw}" is not ${TIME_CAP_OPTION_HELP}`);
  return ms;
}

function staticDirOf(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_STATIC_DIR;
  const dir = resolve(raw);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new ServeInputError(`--static: "${raw}" is not a folder`);
  return dir;
}

const urlOf = (address: string, port: number, token: string): string =>
  `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}/?token=${token}`;

/** The lines to print: the loopback URL first, then the LAN addresses of a wildcard bind. */
export function readyLines(server: Pick<LabServer, 'host' | 'port' | 'token'>): string[] {
  if (!isWildcardAddress(server.host)) return [`Lab ready at ${urlOf(server.host, server.port, server.token)}`];
  const lines = [`Lab ready at ${urlOf('127.0.0.1', server.port, server.token)}`];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.internal || (a.family === 'IPv6' && (server.host === '0.0.0.0' || a.scopeid !== 0))) continue;
      lines.push(`Also at ${urlOf(a.address, server.port, server.token)}`);
    }
  }
  return lines;
}

const LISTEN_INPUT_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'is already in use (--port 0 picks a free one)',
  EADDRNOTAVAIL: 'is not an address of this machine',
  EACCES: 'needs privileges this user lacks',
};

export async function serveCommand(o: ServeCommandOptions): Promise<void> {
  let service: LabService | undefined;
  try {
    const host = parseHost(o.host);
    const port = parsePort(o.port ?? String(DEFAULT_PORT));
    const staticDir = staticDirOf(o.static);
    const timeCapMs = o.timeCap === undefined ? undefined : parseTimeCap(o.timeCap);
    const dataDir = dataDirFromEnv();
    mkdirSync(dataDir, { recursive: true });
    service = new LabService({ mode: 'browser', dataDir, ...(timeCapMs === undefined ? {} : { timeCapMs }) });
    const server = await startLabServer({ backend: service, host, port, staticDir }).catch((e: NodeJS.ErrnoException) => {
      const why = e.code === undefined ? undefined : LISTEN_INPUT_ERRORS[e.code];
      throw why ? new ServeInputError(`cannot listen on ${host} port ${port}: it ${why}`) : e;
    });
    const running = service;
    const stop = (): void => void shutdown(server, running);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.stdout.write(`${readyLines(server).join('\n')}\n`);
  } catch (e) {
    await service?.dispose();
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`vglab: ${err.message}\n`);
    if (!(err instanceof ServeInputError) && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exit(err instanceof ServeInputError ? 1 : 2);
  }
}

/**
 * Closes the server, then the service (which ends its engine host processes), then
 * exits: the exit is explicit because a run's host process or a timer the service
 * still holds must not keep a stopped server's process alive.
 */
async function shutdown(server: LabServer, service: LabService): Promise<void> {
  let code = 0;
  try {
    await server.close();
    await service.dispose();
  } catch (e) {
    process.stderr.write(`vglab: stopping the server failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    code = 2;
  }
  process.exit(code);
}
