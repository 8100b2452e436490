import { z } from 'zod';

/**
 * Configuration from environment variables, validated once at start-up: a service with a bad
 * setting refuses to start and says which variable is wrong, instead of failing later.
 */
export class ConfigError extends Error {}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const serviceConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<file> or postgresql://user@host:port/db'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port')).min(1)),
  KAFKA_CLIENT_ID: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  RELAY_MAX_BACKOFF_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  CONSUMER_ENABLED: bool.default(true),
  CONSUMER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  CONSUMER_RETRY_BACKOFF_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  CALENDAR_EXTRA_DAYS_FILE: z.string().optional(),
  /** production identity provider's JWKS (RS256/ES256); without it HS256 with AUTH_DEV_SECRET */
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),
  AUTH_DEV_SECRET: z.string().min(32).optional(),
  /** shared secret only the gateway knows: subgraphs refuse requests without it */
  GATEWAY_SECRET: z.string().min(16).optional(),
});

export type ServiceConfig = z.output<typeof serviceConfigSchema>;

/** Production refuses the development defaults of the auth settings. */
export function assertProductionSafe(c: { NODE_ENV: string; AUTH_JWKS_URL?: string; GATEWAY_SECRET?: string }): void {
  if (c.NODE_ENV !== 'production') return;
  const missing = [!c.AUTH_JWKS_URL && 'AUTH_JWKS_URL', !c.GATEWAY_SECRET && 'GATEWAY_SECRET'].filter(Boolean);
  if (missing.length) throw new ConfigError(`invalid configuration:\n  ${missing.join(', ')}: required when NODE_ENV=production`);
}

/** Parse `env` (default `process.env`) with `defaults` applied first; throws ConfigError listing every problem. */
export function loadServiceConfig(defaults: Partial<Record<keyof z.input<typeof serviceConfigSchema>, string>>, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const config = parseConfig(serviceConfigSchema, { ...defaults, ...definedOnly(env) });
  assertProductionSafe(config);
  return config;
}

export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}
