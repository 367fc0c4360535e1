import { describe, expect, it } from 'vitest';

import { projectPathFromArgv } from '../../../electron/main/launchArgs.ts';

describe('the project file among the launch arguments', () => {
  it('packaged: the first .vglab argument, resolved against the working folder', () => {
    expect(projectPathFromArgv(['/opt/vglab/vglab', 'lab.vglab'], '/home/s')).toBe('/home/s/lab.vglab');
    expect(projectPathFromArgv(['/opt/vglab/vglab', '/tmp/A.VGLAB'], '/home/s')).toBe('/tmp/A.VGLAB');
  });

  it('development: skips the app folder and options', () => {
    expect(projectPathFromArgv(['electron', '.', '--inspect', '--x=y.vglab', 'b.vglab'], '/w')).toBe('/w/b.vglab');
  });

  it('none', () => {
    expect(projectPathFromArgv(['electron', '.'], '/w')).toBeNull();
    expect(projectPathFromArgv(['x.vglab'], '/w')).toBeNull();
  });
});
