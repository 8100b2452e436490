import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { parse } from 'yaml';
import { CATALOGUE, dlqTopic } from '@cdp/contracts';
import { ASYNCAPI_FILE, asyncApiText, validateAsyncApi } from '../src/asyncapi';

describe('the AsyncAPI document (generated from libs/contracts)', () => {
  it('is valid AsyncAPI 3.0 according to @asyncapi/parser, and the committed file is current', async () => {
    const text = asyncApiText();
    expect(await validateAsyncApi(text)).toEqual([]);
    expect(readFileSync(ASYNCAPI_FILE, 'utf8')).toBe(text);
  });

  it('describes every topic: message and key schema, CloudEvents headers, an example that satisfies the contract, Kafka bindings, producer and consumers, and its dead-letter topic', async () => {
    const { document } = await new Parser().parse(asyncApiText());
    const raw = parse(asyncApiText());
    for (const c of CATALOGUE) {
      const channel = document!.channels().all().find((ch) => ch.address() === c.topic);
      expect(channel).toBeDefined();
      expect(channel!.bindings().get('kafka')?.value()).toMatchObject({ partitions: 3 });
      const message = channel!.messages().all()[0]!;
      expect(message.name()).toBe(c.name);
      expect(message.payload()?.type()).toBe('object');
      expect(message.headers()?.required()).toEqual(expect.arrayContaining(['ce_id', 'ce_source', 'ce_type', 'ce_specversion', 'ce_time', 'ce_subject']));
      expect(message.bindings().get('kafka')?.value()).toMatchObject({ key: { type: 'string' } });
      const example = raw.components.messages[c.name].examples[0];
      expect(c.schema.safeParse(example.payload).success).toBe(true);
      expect(raw.components.messages[c.name]['x-producer']).toBe(c.producer);
      expect(raw.components.messages[c.name]['x-consumers']).toEqual(c.consumers);
      expect(document!.channels().all().some((ch) => ch.address() === dlqTopic(c.topic))).toBe(true);
    }
  });
});
