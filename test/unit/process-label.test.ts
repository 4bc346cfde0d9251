import { describe, expect, it } from 'vitest';
import { processLabels, shortCommand } from '../../renderer/src/views/agents/process-label.js';

describe('the process column', () => {
  it('names a process by its command with paths cut to their last part, and its pid', () => {
    expect(processLabels([{ pid: 4242, command: '/usr/bin/python3 /home/me/agents/planner.py', executable: '/usr/bin/python3.12' }])).toEqual([
      { text: 'python3 planner.py · pid 4242', command: 'python3 planner.py', title: '/usr/bin/python3 /home/me/agents/planner.py\n/usr/bin/python3.12' },
    ]);
  });

  it('shows a process with several connections once, and an unknown one as unknown with its reason', () => {
    const planner = { pid: 7, command: 'node planner.js', executable: null };
    expect(processLabels([planner, planner, { unknown: true, reason: 'connected from another machine' }]).map((label) => [label.text, label.title])).toEqual([
      ['node planner.js · pid 7', 'node planner.js'],
      ['unknown', 'connected from another machine'],
    ]);
  });

  it('cuts a long command line short, and leaves URLs whole', () => {
    expect([shortCommand(`node agent.js ${'--flag '.repeat(10)}`).length, shortCommand('node agent.js ws://127.0.0.1:4000/ws')]).toEqual([
      40,
      'node agent.js ws://127.0.0.1:4000/ws',
    ]);
  });
});
