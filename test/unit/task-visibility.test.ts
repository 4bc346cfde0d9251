/** The task visibility rule on its own: who may see a task, and that the offer history is read only when nothing else decides. */
import { describe, expect, it } from 'vitest';
import { declaredRoles, maySeeTask, type TaskViewer } from '../../electron/hub/relay/task-visibility.js';

const task = { from: 'master', to: 'reviewer', assigned_to: 'child' };
const agent = (name: string, roles: string[] = []): TaskViewer => ({ agent: name, all: false, roles });

describe('maySeeTask', () => {
  it('shows a task to its sender, its addressee, its holder, an agent with the addressed role, and an admin', () => {
    const viewers = [agent('master'), agent('reviewer'), agent('child'), agent('rev', ['reviewer']), { agent: 'user', all: true, roles: [] }];
    expect(viewers.map((v) => maySeeTask(v, task, () => []))).toEqual([true, true, true, true, true]);
  });

  it('shows a task to an agent it was once offered to, and to nobody else', () => {
    const offered = ['earlier', 'child'];
    expect([maySeeTask(agent('earlier'), task, () => offered), maySeeTask(agent('stranger', ['tester']), task, () => offered)]).toEqual([true, false]);
  });

  it('reads the offer history only when sender, addressee, holder and roles did not decide', () => {
    let reads = 0;
    const offeredTo = (): string[] => (reads++, []);
    maySeeTask(agent('master'), task, offeredTo);
    maySeeTask({ agent: 'user', all: true, roles: [] }, task, offeredTo);
    maySeeTask(agent('stranger'), task, offeredTo);
    expect(reads).toBe(1);
  });
});

describe('declaredRoles', () => {
  it('is the kind and the capabilities an agent declared, or none', () => {
    expect([
      declaredRoles({ kind: 'reviewer', capabilities: ['python'] }),
      declaredRoles({ kind: null, capabilities: ['python'] }),
      declaredRoles(undefined),
    ]).toEqual([['reviewer', 'python'], ['python'], []]);
  });
});
