#!/usr/bin/env node
// The `vglab` command. The CLI is TypeScript (electron/cli/); tsx compiles it on the fly.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
