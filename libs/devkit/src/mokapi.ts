import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildAsyncApi } from '@cdp/contracts';
import { freePort, waitForPort } from './ports';

/** Path of the Mokapi binary shipped by the `@go-mokapi/<platform>` npm package. */
export function mokapiBinary(): string {
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const pkg = `@go-mokapi/${process.platform === 'win32' ? 'win32' : process.platform}-${arch}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(pkg) as string;
  } catch {
    throw new Error(`Mokapi binary for ${process.platform}/${process.arch} not installed: npm install --no-save ${pkg}@0.52.0`);
  }
}

export interface MokapiOptions {
  /** Kafka port (default: a free port) */
  kafkaPort?: number;
  /** Mokapi's HTTP API/dashboard/health port (default: a free port) */
  apiPort?: number;
  /** directory for the served AsyncAPI document and the log (default: a temp dir) */
  workDir?: string;
  /** serve this AsyncAPI file instead of generating one from the contracts */
  asyncApiFile?: string;
  /** change the generated document before serving it (tests that need a laxer broker) */
  transform?: (doc: Record<string, any>) => void;
}

export interface MokapiBroker {
  brokers: string[];
  kafkaPort: number;
  apiPort: number;
  /** the dashboard / REST API of Mokapi */
  apiUrl: string;
  logFile: string;
  /** stop the broker (messages and committed offsets are lost: Mokapi keeps them in memory) */
  stop(): Promise<void>;
  /** start it again on the same ports */
  start(): Promise<void>;
  readonly running: boolean;
}

/**
 * Starts Mokapi serving the AsyncAPI document generated from libs/contracts, so the broker
 * rejects any message that breaks its topic's schema. Used by the tests and by `npm start`.
 */
export async function startMokapi(opts: MokapiOptions = {}): Promise<MokapiBroker> {
  const kafkaPort = opts.kafkaPort ?? (await freePort());
  const apiPort = opts.apiPort ?? (await freePort());
  const dir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'mokapi-'));
  // Mokapi watches the directory of the files it serves: keep the document alone in its own folder
  const docDir = join(dir, 'asyncapi');
  mkdirSync(docDir, { recursive: true });
  const docFile = opts.asyncApiFile ?? join(docDir, 'asyncapi.yaml');
  if (!opts.asyncApiFile) {
    const doc = buildAsyncApi({ kafkaHost: `127.0.0.1:${kafkaPort}` });
    opts.transform?.(doc);
    writeFileSync(docFile, stringify(doc));
  }
  const logFile = join(dir, 'mokapi.log');
  let child: ChildProcess | null = null;

  const start = async () => {
    const out = openSync(logFile, 'a');
    child = spawn(
      mokapiBinary(),
      [
        `--providers-file-filename=${docFile}`,
        `--api-port=${apiPort}`,
        `--health-port=${apiPort}`,
        '--mcp-server-enabled=false',
        '--api-search-enabled=false',
        '--log-level=warn',
      ],
      { stdio: ['ignore', out, out] },
    );
    const exited = new Promise<never>((_r, reject) => child!.once('exit', (code) => reject(new Error(`mokapi exited with ${code}; see ${logFile}`))));
    exited.catch(() => undefined);
    try {
      await Promise.race([waitForPort(kafkaPort), exited]);
    } catch (e) {
      await stop();
      throw e;
    }
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 3000).unref();
    });
  };
  await start();
  return {
    brokers: [`127.0.0.1:${kafkaPort}`],
    kafkaPort,
    apiPort,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    logFile,
    stop,
    start,
    get running() {
      return child !== null && child.exitCode === null;
    },
  };
}
