/** The client core: one implementation for agents (Node) and the GUI (browser), with the WebSocket injected. */
export * from './backoff.js';
export * from './client.js';
export * from './errors.js';
export * from './metrics.js';
export * from './outbox.js';
export * from './stream.js';
export * from './text-answers.js';
export * from './transport.js';
export * from './worker.js';
