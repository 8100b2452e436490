import pino from 'pino';

/** Structured JSON logs (one object per line) — what a log shipper expects. */
export type Logger = pino.Logger;

export function createLogger(service: string, level: string = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', '*.password', '*.idNumber', '*.phone'], censor: '[redacted]' },
  });
}
