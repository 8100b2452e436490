/** The Apollo gateway (port 4000, /graphql): config, start, stop on signals. */
import { loadGatewayConfig, startGateway } from './gateway';

async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (e) {
    process.stderr.write(`gateway: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const gw = await startGateway(config);
  const stop = async () => {
    const t = setTimeout(() => process.exit(1), 10_000);
    t.unref();
    await gw.stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
