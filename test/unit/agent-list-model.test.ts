import { describe, expect, it } from 'vitest';
import { apartFromDashboard, overlayAgents, type ListedAgent } from '../../renderer/src/views/agents/agent-list-model.js';

function agent(id: string, online = true): ListedAgent {
  return { id, display_name: null, kind: null, capabilities: [], online, connections: online ? 1 : 0, last_seen: null };
}

describe('the agents the dashboard lists', () => {
  it('sets the dashboard’s own agent apart: it is shown as the dashboard, and is neither listed nor a redrive target', () => {
    const { agents, dashboard } = apartFromDashboard([agent('coder'), agent('user'), agent('worker-1', false)], 'user');
    expect({ listed: agents.map((a) => a.id), dashboard: dashboard?.id }).toEqual({ listed: ['coder', 'worker-1'], dashboard: 'user' });
  });

  it('lists every agent while the window has no session yet', () => {
    const { agents, dashboard } = apartFromDashboard([agent('coder'), agent('user')], undefined);
    expect({ listed: agents.map((a) => a.id), dashboard }).toEqual({ listed: ['coder', 'user'], dashboard: undefined });
  });

  it('lists an agent online on another federated hub beside this hub’s agent of the same name, which presence pushes update', () => {
    const listed = overlayAgents([{ ...agent('coder'), hub: 'workstation' }, agent('coder', false), agent('planner')], {
      coder: { ...agent('coder'), connections: 2 },
    });
    expect(listed.map((a) => [a.id, a.hub ?? 'here', a.online, a.connections])).toEqual([
      ['coder', 'here', true, 2],
      ['coder', 'workstation', true, 1],
      ['planner', 'here', true, 1],
    ]);
  });
});
