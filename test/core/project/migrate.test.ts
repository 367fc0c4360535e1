import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { MIGRATIONS, OLDEST_READABLE_VERSION, ProjectError, formatPath, parseProject, serializeProject } from '../../../core/project/migrate.ts';
import { PROJECT_VERSION } from '../../../core/project/schema.ts';
import { decodeTraces } from '../../../core/project/traceCodec.ts';
import { makeProject } from './helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/projects/${name}`, import.meta.url), 'utf8');

describe('parseProject', () => {
  it('opens the small fixture with its traces', () => {
    const r = parseProject(fixture('small.vglab'));
    if (!r.ok) throw new Error(r.error);
    expect(r.migratedFrom).toBeUndefined();
    const cols = decodeTraces(r.project.runs[0].traces!);
    expect(Array.from(cols.steps)).toEqual([0, 1, 2]);
    expect(cols.metrics.loss[2]).toBe(Math.fround(0.5));
    expect(Number.isNaN(cols.metrics.accuracy[1])).toBe(true);
  });

  it('refuses a file saved by a newer version, saying so', () => {
    const r = parseProject(fixture('newer-version.vglab'));
    expect(r).toMatchObject({ ok: false, reason: 'newer' });
    expect(!r.ok && r.error).toMatch(/saved by a newer version of Vanishing Gradient Lab \(format "vglab-project\/2"/);
    const far = parseProject(JSON.stringify({ format: 'vglab-project/17' }));
    expect(far).toMatchObject({ ok: false, reason: 'newer' });
  });

  it('refuses an older version it has no migration for, and unknown formats', () => {
    expect(parseProject(JSON.stringify({ ...makeProject(), format: 'vglab-project/0' }))).toMatchObject({ ok: false, reason: 'not-project' });
    expect(parseProject(JSON.stringify({ format: 'vglab-project/1.5' }))).toMatchObject({ ok: false, reason: 'not-project', error: expect.stringMatching(/unknown project format "vglab-project\/1.5"/) });
    expect(parseProject(JSON.stringify({ format: 'vglab-network/1', nodes: [] }))).toMatchObject({ ok: false, reason: 'not-project', error: expect.stringMatching(/It is a network spec/) });
    expect(parseProject('[1, 2]')).toMatchObject({ ok: false, reason: 'not-project' });
    expect(parseProject('{"name": "x"}')).toMatchObject({ ok: false, error: expect.stringMatching(/it has no "format" field/) });
  });

  it('reports corrupt JSON with its line and column', () => {
    const r = parseProject('{\n "format": "vglab-project/1",\n "name": oops\n}');
    expect(r).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(!r.ok && r.error).toMatch(/not valid JSON \(line 3, column 10: /);
  });

  it('reports a file cut short as corrupt, at its end', () => {
    const text = fixture('small.vglab');
    const r = parseProject(text.slice(0, 2000));
    expect(r).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(!r.ok && r.error).toMatch(/line \d+, column \d+/);
    expect(parseProject('')).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  it('skips a UTF-8 byte order mark', () => {
    expect(parseProject(`\ufeff${fixture('small.vglab')}`).ok).toBe(true);
  });
});

describe('migrations', () => {
  it('start at version 1, the current one, with no steps yet', () => {
    expect(PROJECT_VERSION).toBe(1);
    expect(Object.keys(MIGRATIONS)).toEqual([]);
    expect(OLDEST_READABLE_VERSION).toBe(1);
  });
});

describe('serializeProject', () => {
  it('writes text that parses back to the same project, defaults filled in', () => {
    const text = serializeProject(makeProject(3));
    const r = parseProject(text);
    if (!r.ok) throw new Error(r.error);
    expect(serializeProject(r.project)).toBe(text);
    expect(r.project.name).toBe('project v3');
  });

  it('refuses to write an invalid project, naming the field', () => {
    const bad = { ...makeProject(), name: 42 as unknown as string };
    expect(() => serializeProject(bad)).toThrow(ProjectError);
    expect(() => serializeProject(bad)).toThrow(/^the project file has errors:\nname: must be a string/);
  });

  it('formats field paths with dots and indices', () => {
    expect(formatPath(['runs', 0, 'traces', 'metrics', 'loss'])).toBe('runs[0].traces.metrics.loss');
    expect(formatPath([])).toBe('');
  });
});
