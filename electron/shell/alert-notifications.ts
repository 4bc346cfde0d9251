/** Alerts from the embedded hub become desktop notifications: raised and escalated ones, not the rest. */
import { followHub } from './follow-hub.js';
import type { HubHost } from './hub-host.js';
import type { ShellPlatform } from './platform.js';

/** Follows the host across restarts (each start is a new hub); returns a function that stops it. */
export function notifyAlerts(host: HubHost, platform: Pick<ShellPlatform, 'notify'>): () => void {
  return followHub(host, (hub) =>
    hub.services.alerts.onAlert(({ event, alert }) => {
      if (event !== 'raised' && event !== 'escalated') return;
      platform.notify(`Switchboard ${alert.level} alert${event === 'escalated' ? ' (escalated)' : ''}`, alert.message);
    }),
  );
}
