/** Everything pure that the hub, the SDK and the GUI share. */
export * from './protocol/index.js';
export * from './version.js';
export * from './tasks/task-states.js';
export * from './tasks/task-record.js';
export * from './selftest/selftest-summary.js';
export * from './plural.js';
