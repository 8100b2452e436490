import { z } from 'zod';

/** The four services of the platform; each owns its data and publishes its own topics. */
export const SERVICES = ['membership', 'deliberation', 'disclosure', 'evaluation'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * One event of the catalogue. Everything else — the TypeScript type, runtime validation on both
 * sides, the AsyncAPI document, the topics Mokapi serves — is derived from these definitions.
 */
export interface EventContract<S extends z.ZodObject = z.ZodObject> {
  /** Kafka topic: `<service>.<aggregate>.<event>.v<N>` */
  readonly topic: string;
  /** Short message name used in the AsyncAPI document, e.g. `ResolutionAdopted` */
  readonly name: string;
  /** Contract version; equals the `.vN` suffix of the topic */
  readonly version: number;
  /** The only service that publishes this topic */
  readonly producer: ServiceName;
  /** Services of this platform that consume it (outside subscribers are not listed) */
  readonly consumers: readonly ServiceName[];
  /** The aggregate the event is about (CloudEvents `subject` carries its id) */
  readonly aggregate: string;
  /** One line in English with the Chinese term */
  readonly summary: string;
  /** When it is published and what a consumer may rely on */
  readonly description: string;
  /** Runtime schema of the payload (CloudEvents `data`) */
  readonly schema: S;
  /** A valid payload, used in the AsyncAPI document and contract tests */
  readonly example: z.output<S>;
  /** Kafka key: every event is keyed by the community it belongs to (ordering per community) */
  key(payload: z.output<S>): string;
  /** The id of the aggregate (CloudEvents `subject`) */
  subject(payload: z.output<S>): string;
}

export type PayloadOf<C> = C extends EventContract<infer S> ? z.output<S> : never;

const TOPIC_RE = /^(membership|deliberation|disclosure|evaluation)\.[a-z][a-z-]*\.[a-z][a-z-]*\.v([1-9][0-9]*)$/;

export function defineEvent<S extends z.ZodObject & { shape: { communityId: z.ZodType<string> } }>(def: {
  topic: string;
  name: string;
  producer: ServiceName;
  consumers: readonly ServiceName[];
  aggregate: string;
  /** payload field holding the aggregate id */
  subjectField: keyof z.output<S> & string;
  summary: string;
  description: string;
  schema: S;
  example: z.output<S>;
}): EventContract<S> {
  const m = TOPIC_RE.exec(def.topic);
  if (!m) throw new Error(`topic ${def.topic} does not follow <service>.<aggregate>.<event>.v<N>`);
  if (!def.topic.startsWith(`${def.producer}.`)) throw new Error(`topic ${def.topic} must start with its producer ${def.producer}`);
  def.schema.parse(def.example);
  return Object.freeze({
    topic: def.topic,
    name: def.name,
    version: Number(m[2]),
    producer: def.producer,
    consumers: def.consumers,
    aggregate: def.aggregate,
    summary: def.summary,
    description: def.description,
    schema: def.schema,
    example: def.example,
    key: (p: z.output<S>) => (p as { communityId: string }).communityId,
    subject: (p: z.output<S>) => String((p as Record<string, unknown>)[def.subjectField]),
  });
}

/** Reusable field schemas, so every topic spells an id or a date the same way. */
export const f = {
  id: (description: string) => z.uuid().describe(description),
  communityId: () => z.uuid().describe('Community 社区 id; also the Kafka message key'),
  date: (description: string) => z.iso.date().describe(`${description} (YYYY-MM-DD, China civil date)`),
  instant: (description: string) => z.iso.datetime().describe(`${description} (RFC 3339, UTC)`),
  count: (description: string) => z.number().int().nonnegative().describe(description),
};
