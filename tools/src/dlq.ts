/**
 * Dead letters.
 *   npm run dlq -- list    [--topic <origin topic>]   print every dead letter as a JSON line
 *   npm run dlq -- redrive [--topic <origin topic>]   publish them again to their origin topic
 * `redrive` reads with its own consumer group (cdp-dlq-redrive), so a letter is redriven once;
 * consumers dedupe what they had already applied. Both stop when they reach the end.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Partitioners } from 'kafkajs';
import { CATALOGUE, deadLetterSchema, dlqTopic, type DeadLetter } from '@cdp/contracts';
import { ResilientConsumer } from '@cdp/platform';
import { cliKafka, cliLogger, fail } from './kafka-cli';

export interface DlqResult {
  letters: DeadLetter[];
  redriven: number;
}

/** Reads the dead-letter topics to their current end; with `redrive`, re-publishes each letter. */
export async function runDlq(opts: { command: 'list' | 'redrive'; topic?: string; brokers?: string }): Promise<DlqResult> {
  const kafka = cliKafka('cdp-dlq', opts.brokers);
  const topics = CATALOGUE.map((c) => c.topic)
    .filter((t) => !opts.topic || t === opts.topic)
    .map(dlqTopic);
  if (!topics.length) throw new Error(`unknown topic ${opts.topic}`);
  const admin = kafka.admin();
  await admin.connect();
  const end = new Map<string, bigint>();
  for (const t of topics) for (const p of await admin.fetchTopicOffsets(t)) end.set(`${t}/${p.partition}`, BigInt(p.high));
  await admin.disconnect();
  const remaining = () => [...end.values()].some((h) => h > 0n);
  const result: DlqResult = { letters: [], redriven: 0 };
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  if (opts.command === 'redrive') await producer.connect();
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const consumer = new ResilientConsumer({
    kafka,
    groupId: opts.command === 'redrive' ? 'cdp-dlq-redrive' : `cdp-dlq-list-${randomUUID()}`,
    topics,
    logger: cliLogger(),
    handle: async ({ topic, partition, offset, message }) => {
      const letter = deadLetterSchema.parse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
      result.letters.push(letter);
      if (opts.command === 'redrive') {
        await producer.send({
          topic: letter.origin.topic,
          acks: -1,
          messages: [{ key: letter.origin.key, value: letter.value, headers: letter.headers }],
        });
        result.redriven += 1;
      }
      const k = `${topic}/${partition}`;
      if (BigInt(offset) + 1n >= (end.get(k) ?? 0n)) end.set(k, 0n);
      if (!remaining()) done();
    },
    onPoison: async ({ topic, offset }, error) => {
      process.stderr.write(`unreadable dead letter ${topic}@${offset}: ${error.message}\n`);
    },
  });
  if (remaining()) {
    await consumer.start();
    // done at the end of every partition — or, for redrive, when nothing new arrives for a
    // while (its group may have redriven everything before: its committed offsets are at the end)
    let last = Date.now();
    const before = () => result.letters.length;
    let seen = before();
    await Promise.race([
      finished,
      new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (before() !== seen) {
            seen = before();
            last = Date.now();
          }
          if (consumer.joined && Date.now() - last > 4000) {
            clearInterval(t);
            resolve();
          }
        }, 200);
        void finished.then(() => clearInterval(t));
      }),
    ]);
    await consumer.stop();
  }
  await producer.disconnect();
  return result;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { topic: { type: 'string' } } });
  const command = positionals[0];
  if (command !== 'list' && command !== 'redrive') fail('usage: npm run dlq -- list|redrive [--topic <origin topic>]');
  const { letters, redriven } = await runDlq({ command, topic: values.topic });
  if (command === 'list') for (const l of letters) process.stdout.write(`${JSON.stringify(l)}\n`);
  process.stderr.write(command === 'list' ? `${letters.length} dead letter(s)\n` : `${redriven} dead letter(s) published again to their origin topics\n`);
  process.exit(0);
}

if (require.main === module) void main().catch((e: Error) => fail(`dlq: ${e.message}`));
