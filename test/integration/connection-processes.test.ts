/**
 * Who is behind an agent: for each connection the hub finds the local process at the other end of the
 * socket, and `GET /api/agents` and `list_agents` show its pid, command line and executable.
 */
import type { ChildProcess } from 'node:child_process';
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentListing, ConnectionProcess } from '../../shared/index.js';
import { ScriptRun } from '../helpers/cli-process.js';
import { api, tempFolders, useHub, type TestHub } from '../helpers/hub.js';
import { mcpOverHttp } from '../helpers/mcp.js';
import { findLinuxProcesses } from '../../electron/hub/peer-process/linux-lookup.js';

const ctx = useHub();
const folder = tempFolders();
const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** An agent in a child process: connects with Node's own WebSocket, says hello and stays connected. */
const PLANNER = `
const [url, token, agent] = process.argv.slice(2);
const socket = new WebSocket(url);
socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', token, agent })));
socket.addEventListener('message', (event) => {
  if (JSON.parse(event.data).type === 'welcome') console.log('connected');
});
`;

/** The agent's connections' processes, once the hub has looked them all up. */
async function processesOf(hub: TestHub, agent: string): Promise<ConnectionProcess[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const agents = (await api(hub, 'GET', '/api/agents')).body['agents'] as AgentListing[];
    const processes = agents.find((listed) => listed.id === agent)?.processes ?? [];
    if (processes.length > 0 && processes.every((found) => !('unknown' in found && found.reason === 'still looking'))) return processes;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the hub never finished looking up ${agent}'s processes`);
}

describe.runIf(process.platform === 'linux')('the process behind a connection', () => {
  it("lists a child process's pid, full command line and executable for the agent it connected as", async () => {
    const script = join(folder(), 'planner.mjs');
    writeFileSync(script, PLANNER);
    const planner = new ScriptRun(process.execPath, [script, ctx.hub.wsUrl, ctx.hub.token, 'planner'], process.env);
    running.push(planner.child);
    await planner.until(/connected/);
    expect(await processesOf(ctx.hub, 'planner')).toEqual([
      {
        pid: planner.child.pid,
        command: `${process.execPath} ${script} ${ctx.hub.wsUrl} ${ctx.hub.token} planner`,
        executable: realpathSync(process.execPath),
      },
    ]);
  });

  it('lists the test process itself for a connection it opened, on each of the agent’s connections, in list_agents too', async () => {
    const first = await ctx.admin('reviewer');
    await ctx.admin('reviewer');
    await processesOf(ctx.hub, 'reviewer');
    const listed = (await first.request({ type: 'list_agents' }))['agents'] as AgentListing[];
    const mine = {
      pid: process.pid,
      command: [process.execPath, ...process.execArgv, ...process.argv.slice(1)].join(' '),
      executable: realpathSync(process.execPath),
    };
    expect(listed.find((agent) => agent.id === 'reviewer')?.processes).toEqual([mine, mine]);
  });

  it('finds the processes of many connections opened at once, a child’s and its own, each on the right connection', async () => {
    const script = join(folder(), 'planner.mjs');
    writeFileSync(script, PLANNER);
    const planner = new ScriptRun(process.execPath, [script, ctx.hub.wsUrl, ctx.hub.token, 'planner'], process.env);
    running.push(planner.child);
    await Promise.all([planner.until(/connected/), ...Array.from({ length: 80 }, () => ctx.admin('swarm'))]);
    const swarm = await processesOf(ctx.hub, 'swarm');
    expect({
      swarm: new Set(swarm.map((found) => ('pid' in found ? found.pid : found.reason))),
      size: swarm.length,
      planner: await processesOf(ctx.hub, 'planner'),
    }).toEqual({
      swarm: new Set([process.pid]),
      size: 80,
      planner: [expect.objectContaining({ pid: planner.child.pid })],
    });
  });

  it('shows another agent’s command line, which may hold secrets, to admins only: an agent sees its own and others’ pids', async () => {
    await ctx.admin('reviewer');
    const coder = await ctx.agent('coder');
    await processesOf(ctx.hub, 'reviewer');
    await processesOf(ctx.hub, 'coder');
    const listed = (await coder.request({ type: 'list_agents' }))['agents'] as AgentListing[];
    const processes = (agent: string) => listed.find((listedAgent) => listedAgent.id === agent)?.processes;
    expect({ own: processes('coder'), other: processes('reviewer') }).toEqual({
      own: [{ pid: process.pid, command: expect.stringContaining(process.execPath), executable: realpathSync(process.execPath) }],
      other: [{ pid: process.pid, command: null, executable: null }],
    });
  });

  it('shows the same processes to a coding assistant through the MCP list_agents tool', async () => {
    await ctx.admin('coder');
    const found = await processesOf(ctx.hub, 'coder');
    const assistant = await mcpOverHttp(ctx.hub);
    const listed = (await assistant.call('list_agents').finally(() => assistant.close()))['agents'] as AgentListing[];
    expect({ found, listed: listed.find((agent) => agent.id === 'coder')?.processes }).toEqual({
      found: [expect.objectContaining({ pid: process.pid })],
      listed: found,
    });
  });

  it('reports a connection from another machine, and a socket no longer open, as unknown with the reason', async () => {
    const hubEnd = { address: '127.0.0.1', port: ctx.hub.port };
    expect(
      await findLinuxProcesses([
        { remote: { address: '192.168.1.20', port: 50000 }, local: hubEnd },
        { remote: { address: '127.0.0.1', port: 1 }, local: hubEnd },
      ]),
    ).toEqual([
      { unknown: true, reason: 'connected from another machine' },
      { unknown: true, reason: 'the socket is no longer open' },
    ]);
  });

  it('lists no process for an agent that went offline', async () => {
    const client = await ctx.admin('leaver');
    await processesOf(ctx.hub, 'leaver');
    await client.close();
    const agents = (await api(ctx.hub, 'GET', '/api/agents')).body['agents'] as AgentListing[];
    expect(agents.find((agent) => agent.id === 'leaver')).toMatchObject({ online: false, processes: [] });
  });
});
