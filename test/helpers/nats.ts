/** Real NATS servers for the federation tests: the same ones the federation simulation starts. */
export { startNats, startNatsCluster, type NatsServer } from '../../scripts/bench/nats-process.js';
