/** A small JSON-lines logger that never writes a token or the callback secret. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Tokens (`sb_…`) and the callback signing secret (`sbwh_…`). */
const TOKEN_PATTERN = /(sb(?:wh)?_)[A-Za-z0-9_-]{8,}/g;
const SECRET_KEYS = /token|secret|password|authorization|api[-_]?key/i;

/** Masks anything that looks like a Switchboard token and any field whose name suggests a secret. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(TOKEN_PATTERN, '$1***');
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '***' : redact(v)]),
    );
  }
  return value;
}

export interface LoggerOptions {
  /** File the log lines are appended to. */
  file?: string;
  /** Also write lines at or above this level to stderr. */
  stderrLevel?: LogLevel;
  /** Lowest level written to the file (default info). */
  level?: LogLevel;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = ORDER[options.level ?? 'info'];
  const stderrLevel = options.stderrLevel === undefined ? Infinity : ORDER[options.stderrLevel];
  const file = options.file;
  // A log that cannot be written (a read-only or full data folder) loses its lines; it never stops the
  // hub, nor hides why the hub could not start.
  if (file !== undefined) tryTo(() => mkdirSync(dirname(file), { recursive: true, mode: 0o700 }));
  const write = (lvl: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    const rank = ORDER[lvl];
    if (rank < level && rank < stderrLevel) return;
    const line = `${JSON.stringify({ time: new Date().toISOString(), level: lvl, message: redact(message), ...(fields ? (redact(fields) as object) : {}) })}\n`;
    if (file !== undefined && rank >= level) tryTo(() => appendFileSync(file, line, { mode: 0o600 }));
    if (rank >= stderrLevel) process.stderr.write(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

function tryTo(write: () => void): void {
  try {
    write();
  } catch {
    // Lost; see createLogger.
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
