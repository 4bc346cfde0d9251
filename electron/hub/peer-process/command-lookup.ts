/**
 * macOS and Windows: the process behind a connection from the system's own tools (lsof and ps; netstat and
 * PowerShell), run without a shell, each with a time limit.
 */
import { execFile } from 'node:child_process';
import type { ConnectionProcess } from '../../../shared/index.js';
import { isLoopback, type TcpEndpoints } from './endpoints.js';
import { pidFromLsof } from './lsof-output.js';
import { pidFromNetstat, processFromQuery } from './netstat-output.js';

const COMMAND_TIMEOUT_MS = 5_000;

/** A command's standard output; lsof exits 1 when it found nothing, which is an answer too. */
function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (error, stdout) => {
      if (error !== null && stdout === '') reject(error);
      else resolve(stdout);
    });
  });
}

const NOT_FOUND: ConnectionProcess = { unknown: true, reason: "another user's process, or one that has ended" };
const REMOTE: ConnectionProcess = { unknown: true, reason: 'connected from another machine' };

export async function findMacProcess(ends: TcpEndpoints): Promise<ConnectionProcess> {
  if (!isLoopback(ends.remote.address)) return REMOTE;
  const pid = pidFromLsof(await run('lsof', ['-nP', `-iTCP:${ends.remote.port}`, '-F', 'pn']), ends);
  if (pid === undefined) return NOT_FOUND;
  const [command, executable] = await Promise.all([
    run('ps', ['-ww', '-o', 'args=', '-p', String(pid)]),
    run('ps', ['-o', 'comm=', '-p', String(pid)]).catch(() => ''),
  ]);
  return { pid, command: command.trim(), executable: executable.trim() === '' ? null : executable.trim() };
}

export async function findWindowsProcess(ends: TcpEndpoints): Promise<ConnectionProcess> {
  if (!isLoopback(ends.remote.address)) return REMOTE;
  const pid = pidFromNetstat(await run('netstat', ['-ano']), ends);
  if (pid === undefined) return NOT_FOUND;
  const query = `$p = Get-CimInstance Win32_Process -Filter 'ProcessId=${pid}'; $p.ExecutablePath; $p.CommandLine`;
  const found = processFromQuery(await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', query]));
  return { pid, ...found };
}
