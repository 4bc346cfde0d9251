/** Everything pure that the hub, the SDK and the GUI share. */
export * from './protocol/index.js';
export * from './version.js';
