/** Signs what the hub POSTs (task callbacks and alert webhooks): HMAC-SHA256 of "<timestamp>.<body>" with the hub's secret. */
import { createHmac } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-switchboard-timestamp';
export const SIGNATURE_HEADER = 'x-switchboard-signature';

/** The headers that sign one request body, exactly the bytes sent. */
export type Signer = (body: string) => Record<string, string>;

/** `sha256=<hex>`: the HMAC-SHA256, keyed with the secret's UTF-8 bytes, of "<timestamp>.<body>". */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The timestamp (Unix seconds) and one signature per secret, comma separated, current secret first:
 * after a rotation the previous secret signs too for a while, so a receiver still holding it verifies.
 */
export function signatureHeaders(secrets: readonly string[], body: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: secrets.map((secret) => signature(secret, timestamp, body)).join(','),
  };
}
