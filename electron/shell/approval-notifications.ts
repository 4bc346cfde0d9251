/**
 * Agent names waiting for approval become desktop notifications with Allow and Deny. Where a notification
 * carries no buttons, clicking it opens the window, whose banner has them.
 */
import { DEFAULT_ADMIN_AGENT } from '../hub/index.js';
import { followHub } from './follow-hub.js';
import type { HubHost } from './hub-host.js';
import type { ShellPlatform } from './platform.js';

const ACTIONS = ['Allow', 'Deny'] as const;

/** Follows the host across restarts (each start is a new hub); returns a function that stops it. */
export function notifyApprovals(host: HubHost, platform: Pick<ShellPlatform, 'ask' | 'notify' | 'showWindow'>): () => void {
  return followHub(host, (hub) => {
    const approvals = hub.services.approvals;
    return approvals.onRequest((request) => {
      void platform.ask('Switchboard: a new agent wants to connect', `${request.prompt}. Allow it?`, ACTIONS).then((answer) => {
        if (answer === 'clicked') platform.showWindow();
        if (typeof answer !== 'number') return;
        // Decided meanwhile (on the dashboard, or it gave up waiting): the notification is out of date.
        if (host.hub() !== hub || !approvals.pending().some((pending) => pending.agent === request.agent)) return;
        try {
          approvals.decide(request.agent, answer === 0 ? 'approved' : 'denied', DEFAULT_ADMIN_AGENT);
        } catch (error) {
          platform.notify(`${request.agent} was not ${answer === 0 ? 'allowed' : 'denied'}`, (error as Error).message);
        }
      });
    });
  });
}
