/** `switchboard backup` and `switchboard restore`: the built CLI in child processes, against a hub run by `switchboard serve`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderSnapshot, messageRows } from '../helpers/backups.js';
import { runCli, serveCli, type CliHub } from '../helpers/cli-process.js';
import { tempFolders } from '../helpers/hub.js';
import { readConversation } from '../helpers/sdk.js';

const folder = tempFolders('switchboard-cli-backup-');
let hub: CliHub | undefined;

async function stopHub(): Promise<void> {
  if (hub !== undefined && hub.child.exitCode === null) {
    hub.child.kill('SIGTERM');
    await hub.exited;
  }
  hub = undefined;
}
afterEach(stopHub);

async function post(cli: CliHub, content: string): Promise<void> {
  const response = await fetch(`${cli.http}/api/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cli.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ conversation_id: 'general', content }),
  });
  if (response.status !== 201) throw new Error(`could not post: ${await response.text()}`);
}

const SIZE = '\\d+(\\.\\d)? (bytes|KiB|MiB)';

describe('switchboard backup and restore', () => {
  it('backs up through the running hub, and restore refuses while the hub runs', async () => {
    const dataDir = folder();
    const file = join(folder(), 'running.db');
    hub = await serveCli(dataDir);
    for (const content of ['one', 'two', 'three']) await post(hub, content);
    const backup = await runCli(['backup', file, '--data-dir', dataDir]);
    const before = messageRows(join(dataDir, 'switchboard.db'));
    const restore = await runCli(['restore', file, '--data-dir', dataDir]);
    expect({ backup, copied: messageRows(file).map((m) => m.content), restore, unchanged: messageRows(join(dataDir, 'switchboard.db')) }).toEqual({
      backup: {
        code: 0,
        signal: null,
        stdout: expect.stringMatching(new RegExp(`^Backed up the running hub to ${file}: ${SIZE}, 3 messages, last seq 3\\.\\n$`)),
        stderr: '',
      },
      copied: ['one', 'two', 'three'],
      restore: {
        code: 1,
        signal: null,
        stdout: '',
        stderr: `SB_ERR_HUB_RUNNING: The data folder ${dataDir} is in use by a Switchboard hub (pid ${hub.pid}, ${hub.http}): stop it first, then restore.\n`,
      },
      unchanged: before,
    });
  });

  it('backs up the database file when the hub is stopped, and restore puts a backup back and keeps what it replaced', async () => {
    const dataDir = folder();
    const early = join(folder(), 'early.db');
    const late = join(folder(), 'late.db');
    hub = await serveCli(dataDir);
    await post(hub, 'one');
    await post(hub, 'two');
    await runCli(['backup', early, '--data-dir', dataDir]);
    await post(hub, 'three');
    await stopHub();
    const stopped = await runCli(['backup', late, '--data-dir', dataDir]);
    const restored = await runCli(['restore', early, '--data-dir', dataDir]);
    const kept = /kept at (\S+)\.\n$/.exec(restored.stdout)?.[1] ?? '';
    hub = await serveCli(dataDir);
    const after = await readConversation(hub.http, hub.token, 'general');
    expect({
      stopped,
      late: messageRows(late).map((m) => m.content),
      restored,
      kept: messageRows(kept).map((m) => m.content),
      after: after.map((m) => m.content),
    }).toEqual({
      stopped: {
        code: 0,
        signal: null,
        stdout: expect.stringMatching(
          new RegExp(`^The hub is not running; backed up ${join(dataDir, 'switchboard.db')} to ${late}: ${SIZE}, 3 messages, last seq 3\\.\\n$`),
        ),
        stderr: '',
      },
      late: ['one', 'two', 'three'],
      restored: {
        code: 0,
        signal: null,
        stdout: expect.stringMatching(
          new RegExp(
            `^Restored ${early} to ${join(dataDir, 'switchboard.db')}: ${SIZE}, 2 messages, last seq 2, schema version \\d+\\.\\n` +
              `The database it replaced is kept at ${join(dataDir, 'backups')}/before-restore-\\d{8}-\\d{6}\\.db\\.\\n$`,
          ),
        ),
        stderr: '',
      },
      kept: ['one', 'two', 'three'],
      after: ['one', 'two'],
    });
  });

  it('exits 1 with a clear message on a file that is not a backup, 2 without a file, and leaves the data folder as it was', async () => {
    const dataDir = folder();
    hub = await serveCli(dataDir);
    await post(hub, 'one');
    await stopHub();
    const notes = join(folder(), 'notes.txt');
    writeFileSync(notes, 'shopping list\n');
    const before = folderSnapshot(dataDir);
    const results = [await runCli(['restore', notes, '--data-dir', dataDir]), await runCli(['restore', '--data-dir', dataDir]), await runCli(['backup'])];
    expect({ results, after: folderSnapshot(dataDir) }).toEqual({
      results: [
        { code: 1, signal: null, stdout: '', stderr: `SB_ERR_BACKUP_INVALID: ${notes} is not an SQLite database, so not a Switchboard backup.\n` },
        { code: 2, signal: null, stdout: '', stderr: "error: missing required argument 'file'\n(run `switchboard restore --help` for usage)\n" },
        { code: 2, signal: null, stdout: '', stderr: "error: missing required argument 'file'\n(run `switchboard backup --help` for usage)\n" },
      ],
      after: before,
    });
  });
});
