#!/usr/bin/env node
/** The `switchboard` command under Node: runs the command line (run.ts) and leaves with its exit code. */
import { runCli } from './run.js';

const { exitCode, aborted } = await runCli(process.argv.slice(2));
if (aborted) process.exit(exitCode);
process.exitCode = exitCode;
