import { randomUUID } from 'node:crypto';
import type { EventContract, PayloadOf, ServiceName } from '@cdp/contracts';
import { eventSource, eventType } from '@cdp/contracts';
import type { Em } from '../orm';
import { OutboxMessage } from './entities';

export class ContractViolation extends Error {}

/**
 * Adds an event to the outbox of the unit of work `em` belongs to. Call it inside the
 * transaction that makes the change: both are committed together or not at all. The payload is
 * validated against its contract first; an invalid payload is a programming error and aborts
 * the transaction.
 */
export function recordEvent<C extends EventContract>(
  em: Em,
  service: ServiceName,
  contract: C,
  payload: PayloadOf<C>,
  occurredAt: Date = new Date(),
): OutboxMessage {
  if (contract.producer !== service) throw new ContractViolation(`${service} cannot publish ${contract.topic} (producer: ${contract.producer})`);
  const parsed = contract.schema.safeParse(payload);
  if (!parsed.success) {
    throw new ContractViolation(`payload breaks ${contract.topic}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const data = parsed.data as PayloadOf<C>;
  const row = em.create(OutboxMessage, {
    id: randomUUID(),
    topic: contract.topic,
    type: eventType(contract.topic),
    source: eventSource(service),
    subject: contract.subject(data),
    aggregateType: contract.aggregate,
    communityId: contract.key(data),
    payload: JSON.stringify(data),
    occurredAt,
    publishedAt: null,
    attempts: 0,
  });
  em.persist(row);
  return row;
}
