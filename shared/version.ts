/** The hub and protocol version, reported in `welcome` and `/api/health`; kept equal to package.json by a test. */
export const HUB_VERSION = '0.1.0';
export const PROTOCOL_VERSION = 1;
