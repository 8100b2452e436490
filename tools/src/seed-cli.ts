/** `npm run seed`: enters the demo data through a running gateway (GATEWAY_URL, default http://127.0.0.1:4000/graphql). */
import { seedDemo } from './seed';

seedDemo(process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql', (l) => process.stdout.write(`${l}\n`), process.env.AUTH_DEV_SECRET).catch((e: Error) => {
  process.stderr.write(`seed failed: ${e.message}\n`);
  process.exit(1);
});
