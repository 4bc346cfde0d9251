/**
 * The federation's front door, imported by the hub only when settings.json has a `federation` section:
 * everything behind it loads the NATS client.
 */
export { startFederation, type Federation, type FederationDeps } from './federation.js';
