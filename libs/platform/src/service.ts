import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { EntityClass } from '@mikro-orm/core';
import express from 'express';
import type { NonEmptyArray } from 'type-graphql';
import type { ServiceName } from '@cdp/contracts';
import { WorkingDayCalendar, forbidden, hasRole, requireActor, type Actor, type DayOverride, type Role } from '@cdp/util';
import type { AuthChecker } from 'type-graphql';
import { AuditEntry, auditPlugin } from './audit';
import { DEV_GATEWAY_SECRET, GATEWAY_SECRET_HEADER, createTokenVerifier, gatewaySecretMatches } from './auth';
import type { ServiceConfig } from './config';
import { createLogger, type Logger } from './logger';
import { databaseKind, openDatabase, type DatabaseKind, type Em, type Orm } from './orm';
import { MESSAGING_ENTITIES, OutboxMessage } from './messaging/entities';
import { createKafka } from './messaging/kafka';
import { OutboxRelay, type RelayOptions } from './messaging/relay';
import { EventConsumer, type EventHandler } from './messaging/consumer';
import { buildSubgraph, type ReferenceResolver, type SubgraphSchema } from './graphql/federation';
import { createErrorFormatter } from './graphql/errors';
import { createMetrics } from './http/metrics';

/** What every request's resolvers get. */
export interface RequestContext<L = unknown> {
  /** a unit of work for this request only */
  em: Em;
  /** per-request DataLoaders */
  loaders: L;
  logger: Logger;
  calendar: WorkingDayCalendar;
  /** the verified caller, or null for an anonymous (public) request */
  actor: Actor | null;
}

/**
 * One service, registered in one place (like a Decidim component): its entities, GraphQL
 * resolvers, federated entity references, event handlers and per-request loaders. The platform
 * turns it into a running subgraph with its database, outbox relay and consumer.
 */
export interface ServiceModule<L = unknown> {
  name: ServiceName;
  defaultPort: number;
  entities: EntityClass<any>[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  referenceResolvers?: Record<string, ReferenceResolver<RequestContext<L>>>;
  handlers?: EventHandler[];
  createLoaders(em: Em): L;
  /** what the schema generator cannot express (runs after the tables are brought up to date) */
  afterSchema?(orm: Orm, kind: DatabaseKind): Promise<void>;
}

/**
 * `@Authorized(roles)` on a resolver: the caller must be authenticated and hold one of the roles
 * (any role for `@Authorized()`). Scopes (which community) are checked again in the commands.
 */
export const roleChecker: AuthChecker<{ actor: Actor | null }, Role> = ({ context }, roles) => {
  const actor = requireActor(context.actor);
  if (roles.length && !hasRole(actor, ...roles)) throw forbidden(`this needs one of the roles ${roles.join(', ')}`);
  return true;
};

export function buildServiceSchema<L>(mod: ServiceModule<L>): Promise<SubgraphSchema> {
  return buildSubgraph<RequestContext<L>>({
    resolvers: mod.resolvers,
    orphanedTypes: mod.orphanedTypes,
    referenceResolvers: mod.referenceResolvers,
    authChecker: roleChecker as AuthChecker<RequestContext<L>>,
  });
}

export interface RunningService {
  name: ServiceName;
  url: string;
  port: number;
  orm: Orm;
  relay: OutboxRelay;
  consumer: EventConsumer;
  logger: Logger;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** fault injection for tests, see RelayOptions.afterSend */
  relayAfterSend?: RelayOptions['afterSend'];
  /** start the relay (default true) */
  relay?: boolean;
}

export function loadCalendar(file?: string): WorkingDayCalendar {
  if (!file) return new WorkingDayCalendar();
  return new WorkingDayCalendar(JSON.parse(readFileSync(file, 'utf8')) as DayOverride[]);
}

/** Opens the database, starts relay, consumer and the HTTP server (GraphQL, health, metrics). */
export async function startService<L>(mod: ServiceModule<L>, config: ServiceConfig, options: StartOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? createLogger(mod.name, config.LOG_LEVEL);
  const calendar = loadCalendar(config.CALENDAR_EXTRA_DAYS_FILE);
  const orm = await openDatabase({ url: config.DATABASE_URL, entities: [...mod.entities, ...MESSAGING_ENTITIES, AuditEntry], logger });
  await mod.afterSchema?.(orm, databaseKind(config.DATABASE_URL));
  const verifyToken = createTokenVerifier({ jwksUrl: config.AUTH_JWKS_URL, devSecret: config.AUTH_DEV_SECRET, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
  const gatewaySecret = config.GATEWAY_SECRET ?? DEV_GATEWAY_SECRET;
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? mod.name, logger });

  const relay = new OutboxRelay({
    orm,
    databaseUrl: config.DATABASE_URL,
    kafka,
    service: mod.name,
    logger: logger.child({ component: 'relay' }),
    intervalMs: config.RELAY_INTERVAL_MS,
    batchSize: config.RELAY_BATCH_SIZE,
    maxBackoffMs: config.RELAY_MAX_BACKOFF_MS,
    afterSend: options.relayAfterSend,
  });
  // publish right after a commit that wrote outbox rows instead of waiting for the next poll
  orm.em.getEventManager().registerSubscriber({
    getSubscribedEntities: () => [OutboxMessage],
    afterCreate: () => {
      setImmediate(() => relay.wake());
    },
  });
  const consumer = new EventConsumer({
    orm,
    kafka,
    groupId: mod.name,
    handlers: config.CONSUMER_ENABLED ? (mod.handlers ?? []) : [],
    logger: logger.child({ component: 'consumer' }),
    calendar,
    maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
    retryBackoffMs: config.CONSUMER_RETRY_BACKOFF_MS,
  });

  const { schema } = await buildServiceSchema(mod);
  const app = express();
  const httpServer: Server = createServer(app);
  const apollo = new ApolloServer<RequestContext<L>>({
    schema,
    introspection: config.NODE_ENV !== 'production',
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger, config.NODE_ENV !== 'production'),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled(), auditPlugin(orm, logger)],
  });
  await apollo.start();

  const metrics = createMetrics(mod.name);
  const dbOk = async () => {
    try {
      await (orm.em.fork() as Em).getConnection().execute('select 1');
      return true;
    } catch {
      return false;
    }
  };

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', service: mod.name });
  });
  app.get(['/health', '/health/ready'], async (_req, res) => {
    const [database, outbox] = await Promise.all([dbOk(), relay.stats().catch(() => null)]);
    const ready = database && consumer.ready;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ok' : 'unavailable',
      service: mod.name,
      checks: { database, consumer: { ready: consumer.ready, topics: consumer.topics, ...consumer.counts }, outbox },
    });
  });
  app.get('/metrics', async (_req, res) => {
    const s = await relay.stats();
    metrics.outboxPending.set(s.pending);
    metrics.outboxOldestAge.set(s.oldestPendingAgeSeconds);
    metrics.outboxPublished.set(s.publishedTotal);
    metrics.outboxFailures.set(s.failedAttemptsTotal);
    for (const [outcome, n] of Object.entries(consumer.counts)) metrics.consumed.set({ outcome }, n);
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    '/graphql',
    // only the gateway may call a subgraph: its limits and rate limits cannot be bypassed
    (req, res, next) => {
      if (gatewaySecretMatches(req.headers[GATEWAY_SECRET_HEADER], gatewaySecret)) return next();
      res.status(401).json({ errors: [{ message: 'subgraphs answer the gateway only', extensions: { code: 'UNAUTHENTICATED' } }] });
    },
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const actor = await verifyToken(req.headers.authorization);
        const em = orm.em.fork() as Em;
        return { em, loaders: mod.createLoaders(em), logger, calendar, actor };
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOST, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  if (options.relay !== false) relay.start();
  // the consumer connects in the background: the service serves reads while the broker is down
  void consumer.start().catch((e: Error) => logger.error({ err: e.message }, 'consumer failed to start'));
  logger.info({ port, database: config.DATABASE_URL.replace(/\/\/[^@]*@/, '//***@') }, `${mod.name} subgraph ready at http://${config.HOST}:${port}/graphql`);

  let stopped = false;
  return {
    name: mod.name,
    url: `http://${config.HOST}:${port}/graphql`,
    port,
    orm,
    relay,
    consumer,
    logger,
    async stop() {
      if (stopped) return;
      stopped = true;
      await apollo.stop();
      await consumer.stop();
      await relay.stop();
      await orm.close(true);
    },
  };
}

/** For `apps/<service>/src/main.ts`: load config, start, stop cleanly on SIGINT/SIGTERM. */
export async function runService<L>(mod: ServiceModule<L>, loadConfig: () => ServiceConfig): Promise<void> {
  let config: ServiceConfig;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`${mod.name}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const running = await startService(mod, config);
  const shutdown = async (signal: string) => {
    running.logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await running.stop().catch((e: Error) => running.logger.error({ err: e.message }, 'error while stopping'));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
