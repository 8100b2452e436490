/**
 * Local infrastructure for tests and the development launcher: Mokapi as the Kafka broker,
 * throw-away databases (SQLite or PostgreSQL), free ports, a small GraphQL client.
 * Never imported by service code.
 */
export * from './ports';
export * from './mokapi';
export * from './database';
export * from './graphql';
export * from './wait';
export * from './harness';
