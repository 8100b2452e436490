/**
 * The shared runtime every service is built on: configuration, logging, database set-up,
 * messaging (outbox, relay, idempotent consumer), the federated subgraph builder, error
 * formatting, loaders, health and metrics.
 */
export * from './config';
export * from './logger';
export * from './orm';
export * from './service';
export * from './messaging/entities';
export * from './messaging/kafka';
export * from './messaging/outbox';
export * from './messaging/relay';
export * from './messaging/consumer';
export * from './messaging/cloudevents';
export * from './graphql/federation';
export * from './graphql/errors';
export * from './graphql/loaders';
export * from './graphql/scalars';
export * from './projections/known-communities';
export * from './projections/representative-roll';
export * from './messaging/resilient-consumer';
export * from './messaging/replay';
export * from './auth';
export * from './audit';
