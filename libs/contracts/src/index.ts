/**
 * Event contracts of the platform: one definition per topic (schema, type, key, example,
 * description), the CloudEvents envelope conventions and the AsyncAPI document built from them.
 */
export * from './define';
export * from './envelope';
export * from './catalogue';
export * from './asyncapi';
export * from './events/membership';
export * from './events/deliberation';
export * from './events/disclosure';
export * from './events/evaluation';
export * from './dlq';
export * from './compat';
