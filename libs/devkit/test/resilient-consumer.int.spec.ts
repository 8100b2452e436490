import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { communityRegistered, eventSource, eventType } from '@cdp/contracts';
import { createLogger, decodeKafkaMessage, encodeOutboxMessage, ResilientConsumer, type OutboxMessage } from '@cdp/platform';
import { startMokapi, eventually, type MokapiBroker } from '../src';

let broker: MokapiBroker;
beforeAll(async () => {
  broker = await startMokapi();
});
afterAll(async () => {
  await broker?.stop();
});

const kafka = () => new Kafka({ brokers: broker.brokers, clientId: `t-${randomUUID().slice(0, 6)}`, logLevel: logLevel.NOTHING });

function message(communityId: string) {
  const payload = { ...communityRegistered.example, communityId };
  return encodeOutboxMessage({
    id: randomUUID(),
    topic: communityRegistered.topic,
    type: eventType(communityRegistered.topic),
    source: eventSource('membership'),
    subject: communityId,
    communityId,
    payload: JSON.stringify(payload),
    occurredAt: new Date(),
  } as OutboxMessage);
}

describe('ResilientConsumer against Mokapi', () => {
  it('three groups reading the same records while they are produced each get every message once, in order per partition', async () => {
    const seen = [new Map<string, string[]>(), new Map<string, string[]>(), new Map<string, string[]>()];
    const consumers = seen.map(
      (log, i) =>
        new ResilientConsumer({
          kafka: kafka(),
          groupId: `stress-${i}-${randomUUID()}`,
          topics: [communityRegistered.topic],
          logger: createLogger('test', 'silent'),
          retryBackoffMs: 20,
          handle: async ({ partition, offset, message: m }) => {
            const ev = decodeKafkaMessage(m);
            const list = log.get(String(partition)) ?? [];
            list.push(`${offset}:${ev.id}`);
            log.set(String(partition), list);
          },
          onPoison: async (_m, e) => {
            throw new Error(`nothing may be given up here: ${e.message}`);
          },
        }),
    );
    await Promise.all(consumers.map((c) => c.start()));
    await eventually(() => consumers.every((c) => c.joined), { timeoutMs: 30000, what: 'all joined' });

    const producer = kafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const N = 150;
    for (let i = 0; i < N; i += 1) {
      await producer.send({ topic: communityRegistered.topic, acks: -1, messages: [message(randomUUID())] });
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await producer.disconnect();

    const total = (m: Map<string, string[]>) => [...m.values()].reduce((n, l) => n + l.length, 0);
    await eventually(() => seen.every((m) => total(m) >= N), { timeoutMs: 90000, intervalMs: 250, what: `every group got ${N}` });
    process.stdout.write(`resilience stats: ${JSON.stringify(consumers.map((c) => c.stats))}\n`);
    await Promise.all(consumers.map((c) => c.stop()));

    for (const m of seen) {
      expect(total(m)).toBe(N);
      for (const list of m.values()) {
        // offsets 0,1,2,… without gap or repeat, per partition
        expect(list.map((x) => Number(x.split(':')[0]))).toEqual(list.map((_x, i) => i));
      }
    }
    // and the three groups agree on which event sits at which offset
    for (const p of seen[0]!.keys()) {
      expect(seen[1]!.get(p)).toEqual(seen[0]!.get(p));
      expect(seen[2]!.get(p)).toEqual(seen[0]!.get(p));
    }
  });

  it('a consumer stopped at any point of its start, its group join included, stays stopped: the process exits on its own', async () => {
    // a separate Node process per stop delay, running the built library as a service would
    const script = `
      const { Kafka, logLevel } = require('kafkajs');
      const { ResilientConsumer, createLogger } = require('@cdp/platform');
      (async () => {
        const kafka = new Kafka({ brokers: process.env.BROKERS.split(','), clientId: 'stop-test', logLevel: logLevel.NOTHING });
        const c = new ResilientConsumer({
          kafka, groupId: 'stop-' + process.pid, topics: [process.env.TOPIC], logger: createLogger('test', 'silent'),
          handle: async () => undefined, onPoison: async () => undefined,
        });
        const started = c.start(); // as a service does: it serves while its consumer joins
        await new Promise((r) => setTimeout(r, Number(process.env.DELAY)));
        await c.stop();
        await started;
        console.log('stopped');
      })();`;
    const exitsWithin = (delay: number, ms: number) =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['-e', script], {
          cwd: join(__dirname, '..'),
          env: { ...process.env, BROKERS: broker.brokers.join(','), TOPIC: communityRegistered.topic, DELAY: String(delay) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(`delay ${delay}: still running ${ms} ms later (${out.trim() || 'not even stopped'})`);
        }, ms);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve(`delay ${delay}: ${out.trim()}, exit ${code}`);
        });
      });
    const delays = [0, 300, 1000, 1500, 2500];
    const outcomes = await Promise.all(delays.map((d) => exitsWithin(d, d + 20000)));
    expect(outcomes).toEqual(delays.map((d) => `delay ${d}: stopped, exit 0`));
  });
});
