import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { z } from 'zod';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DEV_GATEWAY_SECRET, GATEWAY_SECRET_HEADER, assertProductionSafe, createLogger, createTokenVerifier, parseConfig, type Logger } from '@cdp/platform';
import type { Actor } from '@cdp/util';
import { explorerLandingPage, mountExplorerAssets } from './explorer';

export const gatewayConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** the composed supergraph (npm run compose) */
  SUPERGRAPH_FILE: z.string().min(1).default('infra/supergraph.graphql'),
  /** override a subgraph URL baked into the supergraph, e.g. in containers */
  MEMBERSHIP_URL: z.url().optional(),
  DELIBERATION_URL: z.url().optional(),
  DISCLOSURE_URL: z.url().optional(),
  EVALUATION_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),
  AUTH_DEV_SECRET: z.string().min(32).optional(),
  GATEWAY_SECRET: z.string().min(16).optional(),
  /** mutations per caller (token subject, else IP) per minute */
  MUTATION_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(120),
  /** query limits (graphql-armor); defaults pass the dashboard's own queries */
  MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  MAX_ALIASES: z.coerce.number().int().min(1).max(500).default(15),
  MAX_DIRECTIVES: z.coerce.number().int().min(1).max(500).default(20),
  MAX_TOKENS: z.coerce.number().int().min(50).max(100000).default(2000),
  MAX_COST: z.coerce.number().int().min(10).max(1000000).default(5000),
  /** request body limit */
  MAX_BODY: z.string().regex(/^\d+(kb|mb)$/).default('100kb'),
});
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const config = parseConfig(gatewayConfigSchema, Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  assertProductionSafe(config);
  return config;
}

interface GatewayContext {
  authorization?: string;
  actor: Actor | null;
  clientIp: string;
}

/** Codes a client may see from a subgraph's refusal; anything else is an internal error. */
const CLIENT_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED']);

/**
 * A subgraph answers a request it refuses as a whole (a variable or literal that does not
 * coerce, a missing credential) with an HTTP error; the stock data source would report that as
 * INTERNAL_SERVER_ERROR and include the subgraph's URL. This one passes the subgraph's own
 * message and code on (an input that fails a subgraph's validation is the client's
 * BAD_USER_INPUT) and never reveals internals.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    let first: { message?: string; extensions?: { code?: string } } | undefined;
    try {
      first = ((await response.json()) as { errors?: { message?: string; extensions?: { code?: string } }[] }).errors?.[0];
    } catch {
      first = undefined;
    }
    const code = first?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ? 'BAD_USER_INPUT' : first?.extensions?.code;
    if (first?.message && code && CLIENT_CODES.has(code)) return new GraphQLError(first.message, { extensions: { code } });
    return new GraphQLError('a service could not answer', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  }
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Subgraph URL overrides by subgraph name. */
function overrides(config: GatewayConfig): Record<string, string | undefined> {
  return { membership: config.MEMBERSHIP_URL, deliberation: config.DELIBERATION_URL, disclosure: config.DISCLOSURE_URL, evaluation: config.EVALUATION_URL };
}

/**
 * The Apollo gateway: serves the supergraph composed from the subgraphs' committed SDL (what
 * CI checked is what runs), plans each query across the subgraphs and forwards the caller's
 * `authorization` header, plus the gateway credential, to them. It verifies the token itself
 * too (a bad one is refused before any planning), limits query depth, cost, aliases,
 * directives and tokens (graphql-armor), refuses batched HTTP requests, limits the body size
 * and the mutations per caller and minute.
 */
export async function startGateway(config: GatewayConfig, logger: Logger = createLogger('gateway', config.LOG_LEVEL)): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(config.SUPERGRAPH_FILE, 'utf8');
  const urls = overrides(config);
  const gatewaySecret = config.GATEWAY_SECRET ?? DEV_GATEWAY_SECRET;
  const verifyToken = createTokenVerifier({ jwksUrl: config.AUTH_JWKS_URL, devSecret: config.AUTH_DEV_SECRET, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
  const mutationLimiter = new RateLimiterMemory({ points: config.MUTATION_RATE_LIMIT, duration: 60 });
  const armor = new ApolloArmor({
    maxDepth: { n: config.MAX_DEPTH },
    maxAliases: { n: config.MAX_ALIASES },
    maxDirectives: { n: config.MAX_DIRECTIVES },
    maxTokens: { n: config.MAX_TOKENS },
    costLimit: { maxCost: config.MAX_COST },
    blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
  }).protect();
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: { debug: (m) => logger.debug(m), info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        url: urls[name] ?? url,
        willSendRequest({ request, context }) {
          const auth = (context as Partial<GatewayContext>).authorization;
          if (auth) request.http?.headers.set('authorization', auth);
          request.http?.headers.set(GATEWAY_SECRET_HEADER, gatewaySecret);
        },
      }),
  });
  const app = express();
  const httpServer: Server = createServer(app);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.NODE_ENV !== 'production',
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // never pass internals (subgraph URLs, response bodies) on to clients
    formatError: (formatted) => {
      const { response: _r, stacktrace: _s, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions };
    },
    validationRules: armor.validationRules,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // a browser at /graphql gets GraphiQL from our own node_modules (offline); none in production
      config.NODE_ENV === 'production' ? ApolloServerPluginLandingPageDisabled() : explorerLandingPage('/graphql'),
      ...armor.plugins,
      {
        // per-identity rate limit on mutations
        async requestDidStart() {
          return {
            async didResolveOperation({ operation, contextValue }) {
              const op = operation as OperationDefinitionNode | undefined;
              if (op?.operation !== 'mutation') return;
              const fields = op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).length || 1;
              const who = contextValue.actor?.sub ? `sub:${contextValue.actor.sub}` : `ip:${contextValue.clientIp}`;
              try {
                await mutationLimiter.consume(who, fields);
              } catch (e) {
                if (!(e instanceof RateLimiterRes)) throw e;
                throw new GraphQLError(`too many mutations; retry in ${Math.ceil(e.msBeforeNext / 1000)} s`, {
                  extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Math.ceil(e.msBeforeNext / 1000), http: { status: 429 } },
                });
              }
            },
          };
        },
      },
    ],
  });
  await server.start();
  if (config.NODE_ENV !== 'production') mountExplorerAssets(app);
  app.get(['/health', '/health/live', '/health/ready'], (_req, res) => {
    res.json({ status: 'ok', service: 'gateway', supergraph: config.SUPERGRAPH_FILE });
  });
  app.use(
    '/graphql',
    express.json({ limit: config.MAX_BODY }),
    expressMiddleware(server, {
      context: async ({ req }) => ({
        authorization: req.headers.authorization,
        actor: await verifyToken(req.headers.authorization),
        clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      }),
    }),
  );
  // body too large or not JSON: answer in GraphQL's error shape
  app.use((err: { status?: number; type?: string; message: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!err?.status) return next(err);
    const tooLarge = err.type === 'entity.too.large';
    res.status(err.status).json({ errors: [{ message: tooLarge ? `request body larger than ${config.MAX_BODY}` : 'malformed request body', extensions: { code: 'BAD_REQUEST' } }] });
  });
  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOST, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  logger.info({ port }, `gateway ready at http://${config.HOST}:${port}/graphql`);
  return {
    url: `http://${config.HOST}:${port}/graphql`,
    port,
    stop: () => server.stop(),
  };
}
