/**
 * The hub's logger (pino): JSON lines to a size-rotated file (log-file.ts), warnings also to stderr —
 * readable lines on a terminal, JSON otherwise. Never writes a token or the callback secret, never throws.
 */
import pino from 'pino';
import { logFile } from './log-file.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Resolves once every line logged so far is written (the hub waits for it when it stops). */
  flush?(): Promise<void>;
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
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '***' : redact(v)]));
  }
  return value;
}

export interface LoggerOptions {
  /** File the log lines are appended to (rotated by size). */
  file?: string;
  /** Also write lines at or above this level to stderr. */
  stderrLevel?: LogLevel;
  /** Lowest level written to the file (default info). */
  level?: LogLevel;
  /** Readable lines on stderr instead of JSON (default: when stderr is a terminal). */
  readable?: boolean;
  /** When the file is rotated and how many rotated files are kept (default 10 MiB, 5). */
  rotation?: { maxBytes: number; keep: number };
}

/** `WARN  12:03:04 message key=value` for a person at a terminal. */
export function readableLine(level: LogLevel, time: Date, message: string, fields: Record<string, unknown>): string {
  const extra = Object.entries(fields).map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${level.toUpperCase().padEnd(5)} ${time.toTimeString().slice(0, 8)} ${message}${extra.join('')}\n`;
}

function fileLogger(file: string, level: LogLevel, rotation: LoggerOptions['rotation']): { log: pino.Logger; flush: () => Promise<void> } | undefined {
  const destination = logFile(file, rotation?.maxBytes, rotation?.keep);
  if (destination === undefined) return undefined;
  const log = pino(
    {
      level,
      base: null,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return { log, flush: destination.flush };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stderrLevel = options.stderrLevel === undefined ? Infinity : ORDER[options.stderrLevel];
  const readable = options.readable ?? process.stderr.isTTY === true;
  const toFile = options.file === undefined ? undefined : fileLogger(options.file, options.level ?? 'info', options.rotation);
  const write = (lvl: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    try {
      const masked = redact(message) as string;
      const maskedFields = (fields === undefined ? {} : redact(fields)) as Record<string, unknown>;
      toFile?.log[lvl](maskedFields, masked);
      if (ORDER[lvl] < stderrLevel) return;
      const time = new Date();
      process.stderr.write(
        readable
          ? readableLine(lvl, time, masked, maskedFields)
          : `${JSON.stringify({ time: time.toISOString(), level: lvl, message: masked, ...maskedFields })}\n`,
      );
    } catch {
      // A log line is never worth failing the work that logs it.
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    flush: async () => toFile?.flush(),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
