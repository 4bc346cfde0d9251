/** `GET /metrics`: every metric in the Prometheus text format; a token is needed, as everywhere but `/api/health`. */
import type { Prometheus } from '../metrics/prometheus.js';
import { route, type Route } from './http-router.js';

export function prometheusRoutes(prometheus: Prometheus): Route[] {
  return [
    route('prometheusMetrics', {
      async handle(ctx) {
        const text = await prometheus.text();
        ctx.res.writeHead(200, { 'content-type': prometheus.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
        ctx.res.end(text);
      },
    }),
  ];
}
