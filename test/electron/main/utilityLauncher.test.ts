// Engine hosts as utility processes, with a stand-in for Electron's UtilityProcess.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';

import { createUtilityLauncher, type UtilityForkOptions, type UtilityProcessLike } from '../../../electron/main/utilityLauncher.ts';

class FakeUtility extends EventEmitter implements UtilityProcessLike {
  readonly posted: unknown[] = [];
  killed = 0;
  pid: number | undefined = 4242;
  postMessage(message: unknown): void {
    this.posted.push(structuredClone(message));
  }
  kill(): boolean {
    this.killed++;
    return true;
  }
}

function launch() {
  const forks: { path: string; options: UtilityForkOptions; child: FakeUtility }[] = [];
  const launcher = createUtilityLauncher({
    entry: '/app/out/electron/engineHost.cjs',
    env: { VGLAB_ADDON: '/x/vglab.node' },
    fork: (path, _args, options) => {
      const child = new FakeUtility();
      forks.push({ path, options, child });
      return child;
    },
  });
  const channel = launcher.launch();
  return { channel, fork: forks[0]! };
}

describe('the utility-process launcher', () => {
  it('forks the bundled host with the given environment', () => {
    const { fork, channel } = launch();
    expect(fork.path).toBe('/app/out/electron/engineHost.cjs');
    expect(fork.options.env).toEqual({ VGLAB_ADDON: '/x/vglab.node' });
    expect(channel.pid).toBe(4242);
  });

  it('passes messages both ways, typed arrays intact', () => {
    const { fork, channel } = launch();
    const got: unknown[] = [];
    channel.onMessage((m) => got.push(m));
    channel.post({ type: 'train', steps: 5 });
    expect(fork.child.posted).toEqual([{ type: 'train', steps: 5 }]);
    fork.child.emit('message', { type: 'chunk', values: new Float32Array([1, 2]) });
    expect(got).toEqual([{ type: 'chunk', values: new Float32Array([1, 2]) }]);
  });

  it('reports the exit once, and then neither posts nor kills', () => {
    const { fork, channel } = launch();
    const exits: [number | null, string | null][] = [];
    channel.onExit((code, signal) => exits.push([code, signal]));
    fork.child.emit('exit', 134);
    fork.child.emit('exit', 134);
    expect(exits).toEqual([[134, null]]);
    channel.post({ type: 'exit' });
    channel.kill();
    expect(fork.child.posted).toEqual([]);
    expect(fork.child.killed).toBe(0);
  });

  it('kills a live host', () => {
    const { fork, channel } = launch();
    channel.kill();
    expect(fork.child.killed).toBe(1);
  });
});
