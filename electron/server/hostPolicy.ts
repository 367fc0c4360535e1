/**
 * Which Host and Origin headers the browser-mode server answers. The token alone
 * does not stop DNS rebinding (a page on evil.example re-pointed at 127.0.0.1 is
 * "same origin" to the browser and would send our cookie), so a request must also
 * name us: the address we are bound to, or a loopback name when bound to loopback,
 * always with our port.
 */
import { isIP } from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

/** A Host header split into its name (brackets of IPv6 removed, lower case) and port. */
export interface HostHeader {
  hostname: string;
  port: number;
}

/** Parses "name:port", "[v6]:port" or a name alone (port 80); null for anything else. */
export function parseHostHeader(header: string | undefined): HostHeader | null {
  if (!header) return null;
  const text = header.toLowerCase();
  let hostname: string;
  let rest: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    hostname = text.slice(1, close);
    if (isIP(hostname) !== 6) return null;
    rest = text.slice(close + 1);
  } else {
    const colon = text.indexOf(':');
    hostname = colon < 0 ? text : text.slice(0, colon);
    rest = colon < 0 ? '' : text.slice(colon);
  }
  if (hostname === '' || !/^[a-z0-9.:-]+$/.test(hostname)) return null;
  if (rest === '') return { hostname, port: 80 };
  if (!/^:\d{1,5}$/.test(rest)) return null;
  return { hostname, port: Number(rest.slice(1)) };
}

export function isLoopbackAddress(address: string): boolean {
  return LOOPBACK_NAMES.has(address) || /^127\.\d+\.\d+\.\d+$/.test(address);
}

export function isWildcardAddress(address: string): boolean {
  return WILDCARD_ADDRESSES.has(address);
}

/**
 * The Host check for a server bound to `boundAddress` (as server.address() reports
 * it) on `port`:
 *  - loopback: the address itself, localhost, 127.0.0.1 or [::1];
 *  - 0.0.0.0 / :: (a classroom LAN): any IP literal, or localhost; never another
 *    name, since a name is what DNS rebinding controls;
 *  - a specific address: that address only.
 */
export function hostAllowed(boundAddress: string, port: number, header: string | undefined): boolean {
  const host = parseHostHeader(header);
  if (host === null || host.port !== port) return false;
  const bound = boundAddress.toLowerCase();
  if (host.hostname === bound) return true;
  if (isLoopbackAddress(bound)) return LOOPBACK_NAMES.has(host.hostname);
  if (isWildcardAddress(bound)) return host.hostname === 'localhost' || isIP(host.hostname) !== 0;
  return false;
}

/**
 * A browser's Origin for a page served under this (already accepted) Host header.
 * Browsers write the Host header and the Origin the same way (lower case, port
 * only when not the default), so an exact comparison is enough.
 */
export function originAllowed(origin: string | undefined, hostHeader: string): boolean {
  return origin !== undefined && origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`;
}
