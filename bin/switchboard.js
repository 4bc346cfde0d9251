#!/usr/bin/env node
/** The `switchboard` command: runs the CLI under Node 22 or newer, whichever Node started it. */
import { fileURLToPath } from 'node:url';
import { runWithNode22 } from './node-runtime.js';

await runWithNode22(fileURLToPath(new URL('../dist/electron/cli/main.js', import.meta.url)), process.argv.slice(2));
