/**
 * The recently opened projects, newest first, kept in the app's data folder. A
 * damaged list is not worth an error: it is read as empty and rewritten whole.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

import type { RecentProject } from '../../core/api/labApi.ts';
import { writeFileAtomic } from '../export/atomicWrite.ts';

export const RECENT_FORMAT = 'vglab-recent/1';
export const MAX_RECENT = 12;

const recentSchema = z.strictObject({
  format: z.literal(RECENT_FORMAT),
  items: z.array(z.strictObject({ path: z.string().min(1), name: z.string(), openedAt: z.string() })),
});

export class RecentProjects {
  constructor(private readonly file: string) {}

  list(): RecentProject[] {
    try {
      const parsed = recentSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data.items : [];
    } catch {
      return [];
    }
  }

  /** Puts `path` first (once), dropping the oldest past MAX_RECENT. */
  touch(path: string, name: string, now = new Date()): RecentProject[] {
    const abs = resolve(path);
    const items = [{ path: abs, name, openedAt: now.toISOString() }, ...this.list().filter((r) => r.path !== abs)].slice(
      0,
      MAX_RECENT,
    );
    writeFileAtomic(this.file, `${JSON.stringify({ format: RECENT_FORMAT, items }, null, 1)}\n`);
    return items;
  }
}
