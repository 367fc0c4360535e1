/**
 * Zod compiles a fast parser with `new Function` after first probing whether eval
 * is allowed. Our CSP forbids eval, so the probe fails quietly, but Chromium still
 * reports it as a Content-Security-Policy violation on every page load, which would
 * hide a real one (an injected inline script). jitless skips the probe and the
 * compilation; imported first by main.ts, before any schema parses.
 */
import { z } from 'zod';

z.config({ jitless: true });
