/**
 * The page's CSP forbids eval. zod otherwise probes `Function('')` to decide whether to compile its
 * parsers, and the browser logs that probe as a CSP violation. Imported first, before any schema exists.
 */
import { config } from 'zod';

config({ jitless: true });
