import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { z } from 'zod';
import { createLogger, parseConfig, type Logger } from '@cdp/platform';

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
});
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return parseConfig(gatewayConfigSchema, Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
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
 * `authorization` header to them.
 */
export async function startGateway(config: GatewayConfig, logger: Logger = createLogger('gateway', config.LOG_LEVEL)): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(config.SUPERGRAPH_FILE, 'utf8');
  const urls = overrides(config);
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: { debug: (m) => logger.debug(m), info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url: urls[name] ?? url,
        willSendRequest({ request, context }) {
          const auth = (context as { authorization?: string }).authorization;
          if (auth) request.http?.headers.set('authorization', auth);
        },
      }),
  });
  const app = express();
  const httpServer: Server = createServer(app);
  const server = new ApolloServer<{ authorization?: string }>({
    gateway,
    introspection: config.NODE_ENV !== 'production',
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await server.start();
  app.get(['/health', '/health/live', '/health/ready'], (_req, res) => {
    res.json({ status: 'ok', service: 'gateway', supergraph: config.SUPERGRAPH_FILE });
  });
  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    expressMiddleware(server, { context: async ({ req }) => ({ authorization: req.headers.authorization }) }),
  );
  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOST, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  logger.info({ port }, `gateway ready at http://${config.HOST}:${port}/graphql`);
  return {
    url: `http://${config.HOST}:${port}/graphql`,
    port,
    stop: () => server.stop(),
  };
}
