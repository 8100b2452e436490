import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { DomainError } from '@cdp/util';
import type { Logger } from '../logger';

const PUBLIC_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']);

function original(error: unknown): unknown {
  let e = error;
  for (let i = 0; i < 5 && e instanceof GraphQLError && e.originalError; i += 1) e = e.originalError;
  return e;
}

/**
 * Turns what a resolver threw into what a client sees: a DomainError keeps its message and
 * gets `extensions.code` (plus `field` and `rule` when known); anything unexpected is logged and
 * answered as INTERNAL_SERVER_ERROR without internals.
 */
export function createErrorFormatter(logger: Logger, exposeInternals: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const cause = original(error);
    if (cause instanceof DomainError) {
      return {
        message: cause.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: cause.code, ...(cause.field ? { field: cause.field } : {}), ...(cause.rule ? { rule: cause.rule } : {}) },
      };
    }
    const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    if (PUBLIC_CODES.has(code)) {
      const { stacktrace: _s, ...ext } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions: exposeInternals ? formatted.extensions : ext };
    }
    logger.error({ err: cause instanceof Error ? { message: cause.message, stack: cause.stack } : cause, path: formatted.path }, 'unexpected error in resolver');
    return {
      message: exposeInternals && cause instanceof Error ? cause.message : 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
