/** The HTTP API's contract: request and answer schemas by area, and the table of routes. */
export * from './common.js';
export * from './route.js';
export * from './routes.js';
export * from './system.js';
export * from './messages.js';
export * from './agents.js';
export * from './tasks.js';
export * from './lineage.js';
export * from './audit.js';
export * from './metrics.js';
export * from './alerts.js';
export * from './settings.js';
export * from './federation.js';
export * from './selftest.js';
export * from './approvals.js';
