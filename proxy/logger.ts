/** Log lines with hprox's targets (`--log`) and levels (`--loglevel`). */
import fs from 'node:fs';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'none'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogTarget =
  { kind: 'none' } | { kind: 'stdout' } | { kind: 'stderr' } | { kind: 'file'; path: string };

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Whether a message at this level would be written (to skip building costly ones). */
  enabled(level: LogLevel): boolean;
  close(): Promise<void>;
}

export function parseLogTarget(value: string): LogTarget {
  if (value === 'none' || value === 'stdout' || value === 'stderr') return { kind: value };
  return { kind: 'file', path: value };
}

export function createLogger(target: LogTarget, level: LogLevel): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  let write: (line: string) => void = () => {};
  let close = async (): Promise<void> => {};
  if (target.kind === 'stdout') write = (line) => process.stdout.write(line);
  else if (target.kind === 'stderr') write = (line) => process.stderr.write(line);
  else if (target.kind === 'file') {
    // Opened synchronously so a wrong path fails at start-up with its own error, not later.
    const fd = fs.openSync(target.path, 'a');
    const stream = fs.createWriteStream(target.path, { fd });
    write = (line) => stream.write(line);
    close = () => new Promise((resolve) => stream.end(resolve));
  }
  const at =
    (name: LogLevel) =>
    (message: string): void => {
      const index = LOG_LEVELS.indexOf(name);
      if (target.kind === 'none' || index < threshold) return;
      write(`${new Date().toISOString()} ${name.toUpperCase()} ${message}\n`);
    };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    enabled: (name) => target.kind !== 'none' && LOG_LEVELS.indexOf(name) >= threshold && name !== 'none',
    close,
  };
}
