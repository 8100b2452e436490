/**
 * Launches the whole platform as separate processes — broker, four subgraphs, gateway — the
 * way `npm start` runs it and the end-to-end test checks it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServiceName } from '@cdp/contracts';
import { startMokapi, type MokapiBroker } from '@cdp/devkit';
import { createServer } from 'node:net';
import { repoRoot } from './paths';
import { ASYNCAPI_FILE, DEFAULT_KAFKA_HOST } from './asyncapi';

export const SERVICE_NAMES: ServiceName[] = ['membership', 'deliberation', 'disclosure', 'evaluation'];

export interface PlatformOptions {
  /** where SQLite files and logs go (default .data) */
  dataDir: string;
  gatewayPort: number;
  servicePorts: Record<ServiceName, number>;
  /** Kafka port Mokapi listens on */
  kafkaPort: number;
  /** Mokapi's dashboard / API port */
  mokapiPort: number;
  /** use these brokers instead of starting Mokapi (a real Kafka cluster) */
  externalBrokers?: string[];
  /** per-service database URL overrides (default sqlite:<dataDir>/<service>.sqlite) */
  databaseUrls?: Partial<Record<ServiceName, string>>;
  /** extra environment for every service */
  env?: Record<string, string>;
  /** echo warnings and errors of the processes to this stream */
  echo?: NodeJS.WritableStream;
}

export interface RunningPlatform {
  gatewayUrl: string;
  serviceUrls: Record<ServiceName, string>;
  brokers: string[];
  broker: MokapiBroker | null;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, logFile: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`process for ${url} exited with ${child.exitCode}:\n${tail}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy after ${timeoutMs} ms; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function spawnNode(script: string, env: Record<string, string>, logFile: string, echo: NodeJS.WritableStream | undefined, state: { stopping: boolean }): ChildProcess {
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [script], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const name = env.KAFKA_CLIENT_ID ?? 'gateway';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.pipe(out, { end: false });
    if (echo) {
      let buf = '';
      stream.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) if (!state.stopping && /"level":"(warn|error|fatal)"|Error|error:/.test(line)) echo.write(`[${name}] ${line}\n`);
      });
    }
  }
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((res) => {
    child.once('exit', () => res());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 12000).unref();
  });
}

function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', () => reject(new Error(`port ${port} (${what}) is already in use — is another \`npm start\` running? Set ${what.toUpperCase()}_PORT to move it.`)));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
  });
}

export async function launchPlatform(opts: PlatformOptions): Promise<RunningPlatform> {
  await assertPortFree(opts.gatewayPort, 'gateway');
  for (const name of SERVICE_NAMES) await assertPortFree(opts.servicePorts[name], name);
  if (!opts.externalBrokers?.length) {
    await assertPortFree(opts.kafkaPort, 'kafka');
    await assertPortFree(opts.mokapiPort, 'mokapi');
  }
  const dataDir = resolve(repoRoot, opts.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const children: ChildProcess[] = [];
  let broker: MokapiBroker | null = null;
  const state = { stopping: false };
  const stop = async () => {
    state.stopping = true;
    await Promise.all(children.reverse().map(stopChild));
    await broker?.stop();
  };
  try {
    let brokers = opts.externalBrokers;
    if (!brokers?.length) {
      // Mokapi serves exactly the committed AsyncAPI document (generated from libs/contracts)
      const useCommitted = `127.0.0.1:${opts.kafkaPort}` === DEFAULT_KAFKA_HOST;
      broker = await startMokapi({ kafkaPort: opts.kafkaPort, apiPort: opts.mokapiPort, workDir: join(dataDir, 'mokapi'), asyncApiFile: useCommitted ? ASYNCAPI_FILE : undefined });
      brokers = broker.brokers;
    }
    const serviceUrls = {} as Record<ServiceName, string>;
    await Promise.all(
      SERVICE_NAMES.map(async (name) => {
        const logFile = join(logDir, `${name}.log`);
        const child = spawnNode(
          join('apps', name, 'dist', 'main.js'),
          {
            PORT: String(opts.servicePorts[name]),
            DATABASE_URL: opts.databaseUrls?.[name] ?? `sqlite:${join(dataDir, `${name}.sqlite`)}`,
            KAFKA_BROKERS: brokers!.join(','),
            KAFKA_CLIENT_ID: name,
            ...opts.env,
          },
          logFile,
          opts.echo,
          state,
        );
        children.push(child);
        // ready = database reachable and the event consumer joined its group
        await waitForHttp(`http://127.0.0.1:${opts.servicePorts[name]}/health/ready`, child, logFile);
        serviceUrls[name] = `http://127.0.0.1:${opts.servicePorts[name]}/graphql`;
      }),
    );
    const gwLog = join(logDir, 'gateway.log');
    const gateway = spawnNode(
      join('apps', 'gateway', 'dist', 'main.js'),
      {
        PORT: String(opts.gatewayPort),
        MEMBERSHIP_URL: serviceUrls.membership,
        DELIBERATION_URL: serviceUrls.deliberation,
        DISCLOSURE_URL: serviceUrls.disclosure,
        EVALUATION_URL: serviceUrls.evaluation,
        ...opts.env,
      },
      gwLog,
      opts.echo,
      state,
    );
    children.push(gateway);
    await waitForHttp(`http://127.0.0.1:${opts.gatewayPort}/health`, gateway, gwLog);
    return { gatewayUrl: `http://127.0.0.1:${opts.gatewayPort}/graphql`, serviceUrls, brokers: brokers!, broker, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
