import { LocalDateResolver } from 'graphql-scalars';
import { GraphQLISODateTime } from 'type-graphql';

/** `LocalDate`: a civil date `YYYY-MM-DD` (China Standard Time), e.g. a meeting or term date. */
export const LocalDate = LocalDateResolver;
/** `DateTimeISO`: an instant, RFC 3339 in UTC. */
export const DateTime = GraphQLISODateTime;
