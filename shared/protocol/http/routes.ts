/** Every route of the hub's HTTP API by name: the one table the hub's routes, the dashboard and the contract test are checked against. */
import { agentApi } from './agents.js';
import { alertApi } from './alerts.js';
import { approvalApi } from './approvals.js';
import { auditApi } from './audit.js';
import { federationApi } from './federation.js';
import { lineageApi } from './lineage.js';
import { messageApi } from './messages.js';
import { metricsApi } from './metrics.js';
import { selftestApi } from './selftest.js';
import { settingsApi } from './settings.js';
import { systemApi } from './system.js';
import { taskApi } from './tasks.js';

export const httpRoutes = {
  ...systemApi,
  ...messageApi,
  ...agentApi,
  ...taskApi,
  ...lineageApi,
  ...auditApi,
  ...metricsApi,
  ...alertApi,
  ...settingsApi,
  ...federationApi,
  ...selftestApi,
  ...approvalApi,
};

export type HttpRouteName = keyof typeof httpRoutes;
