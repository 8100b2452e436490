/**
 * `npm start`: Mokapi (Kafka on 9092), the four subgraphs on embedded SQLite under .data/,
 * the gateway on 4000, then the demo data through the gateway. Ctrl-C stops everything.
 */
import { SERVICE_NAMES, launchPlatform } from './platform';
import { seedDemo } from './seed';

const int = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name} must be a port number, got ${v}`);
  return n;
};

async function main(): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const servicePorts = { membership: int('MEMBERSHIP_PORT', 4001), deliberation: int('DELIBERATION_PORT', 4002), disclosure: int('DISCLOSURE_PORT', 4003), evaluation: int('EVALUATION_PORT', 4004) };
  const databaseUrls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, process.env[`${s.toUpperCase()}_DATABASE_URL`]]).filter(([, v]) => v));
  say('starting the platform …');
  const platform = await launchPlatform({
    dataDir: process.env.DATA_DIR ?? '.data',
    gatewayPort: int('GATEWAY_PORT', 4000),
    servicePorts,
    kafkaPort: int('KAFKA_PORT', 9092),
    mokapiPort: int('MOKAPI_PORT', 9080),
    externalBrokers: process.env.KAFKA_BROKERS ? process.env.KAFKA_BROKERS.split(',') : undefined,
    databaseUrls,
    echo: process.stderr,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping …`);
    await platform.stop();
    say('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (process.env.SEED !== 'false') {
    try {
      await seedDemo(platform.gatewayUrl, say, process.env.AUTH_DEV_SECRET);
    } catch (e) {
      say(`demo data could not be entered: ${(e as Error).message}`);
    }
  }
  say('');
  say(`  Gateway (GraphQL)   ${platform.gatewayUrl}   (open it in a browser: GraphiQL)`);
  for (const s of SERVICE_NAMES) say(`  ${s.padEnd(19)} ${platform.serviceUrls[s]}`);
  say(`  Kafka brokers       ${platform.brokers.join(',')}${platform.broker ? ` (Mokapi; dashboard ${platform.broker.apiUrl})` : ''}`);
  say(`  Data and logs       ${process.env.DATA_DIR ?? '.data'}/`);
  say('');
  say('Try (public: adopted resolutions and published notices):');
  say(`  curl -s localhost:${platform.gatewayUrl.split(':')[2]!.split('/')[0]}/graphql -H 'content-type: application/json' \\`);
  say(`    -d '{"query":"{ communities { name resolutions { status } notices { status title } } }"}'`);
  say('Everything else needs a token, e.g. a district official\'s (README: "Who may do what"):');
  say('  npm run -s token -- --sub dashboard --role DISTRICT_OFFICIAL --district <district id>');
  say('Ctrl-C stops everything.');
}

main().catch((e: Error) => {
  process.stderr.write(`start failed: ${e.message}\n`);
  process.exit(1);
});
