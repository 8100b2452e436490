import type { EventContract, ServiceName } from './define';
import * as membership from './events/membership';
import * as deliberation from './events/deliberation';
import * as disclosure from './events/disclosure';
import * as evaluation from './events/evaluation';

export { membership, deliberation, disclosure, evaluation };

function contractsOf(mod: object): EventContract[] {
  return Object.values(mod).filter((v): v is EventContract => typeof v === 'object' && v !== null && 'topic' in v && 'schema' in v);
}

/** Every event of the platform, in a stable order (by topic). */
export const CATALOGUE: readonly EventContract[] = Object.freeze(
  [membership, deliberation, disclosure, evaluation].flatMap(contractsOf).sort((a, b) => a.topic.localeCompare(b.topic)),
);

const byTopic = new Map(CATALOGUE.map((c) => [c.topic, c]));
if (byTopic.size !== CATALOGUE.length) throw new Error('two contracts share a topic');

export function contractForTopic(topic: string): EventContract | undefined {
  return byTopic.get(topic);
}

export function topicsProducedBy(service: ServiceName): EventContract[] {
  return CATALOGUE.filter((c) => c.producer === service);
}

export function topicsConsumedBy(service: ServiceName): EventContract[] {
  return CATALOGUE.filter((c) => c.consumers.includes(service));
}
