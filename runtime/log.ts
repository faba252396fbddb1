/**
 * @module A tiny line logger: one line per event, `<time> <component> <message> key=value…`, to stderr.
 *
 * Library code takes a `Logger` (or uses `silentLogger`) instead of calling `console`. Warnings and errors add
 * `level=warn` / `level=error` as the first field. Newlines in messages are escaped so one event stays one line.
 */

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger for a part of this component: `<component>/<name>`. */
  child(name: string): Logger;
}

/** Where lines go; receives one line without its trailing newline. */
export type LogSink = (line: string) => void;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerOptions {
  /** The time stamp source (default `new Date()`), so tests can pin it. */
  now?: () => Date;
  /** Events below this level are dropped (default `info`). */
  level?: LogLevel;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

/**
 * A logger for `component` writing to `sink` (stderr by default).
 *
 * @example
 * const log = createLogger('fraud-model');
 * log.info('ready', { port: 8080, loadMs: 412 }); // 2025-01-01T00:00:00.000Z fraud-model ready port=8080 loadMs=412
 */
export function createLogger(component: string, sink: LogSink = stderrSink, options: LoggerOptions = {}): Logger {
  const now = options.now ?? (() => new Date());
  const threshold = LEVEL_ORDER[options.level ?? 'info'];
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_ORDER[level] < threshold) return;
    let line = `${now().toISOString()} ${component} ${oneLine(message)}`;
    if (level === 'warn' || level === 'error') line += ` level=${level}`;
    if (fields !== undefined) {
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) line += ` ${key}=${formatValue(value)}`;
      }
    }
    try {
      sink(line);
    } catch {
      // A broken sink must never take the process down with it.
    }
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (name) => createLogger(`${component}/${name}`, sink, options),
  };
}

/** A logger that drops everything (for tests and for callers that pass none). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

/** A logger that keeps its lines in memory, for tests that assert on what was logged. */
export function createMemoryLogger(component: string, options: LoggerOptions = {}): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger(component, (line) => lines.push(line), options), lines };
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n');
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value instanceof Error) return JSON.stringify(value.message);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return JSON.stringify(String(value));
  }
}
