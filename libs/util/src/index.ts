/** Plain helpers every layer may use: the working-day calendar and the domain error type. */
export * from './calendar';
export * from './errors';
export * from './access';
