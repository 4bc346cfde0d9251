/** Loopback ports for tests that must name a port before anything listens on it. */
export { freePort as unusedPort } from '../../scripts/bench/free-port.js';
