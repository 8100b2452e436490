/**
 * `npm run token -- --sub u1 --role STAFF --community <id> [--role …] [--community …] [--street 花园路街道] [--district <id>] [--ttl 8h]`
 * prints a development token (HS256, signed with AUTH_DEV_SECRET or the development default).
 * Call the gateway with it: curl -H "authorization: Bearer $(npm run -s token -- …)" …
 */
import { parseArgs } from 'node:util';
import { signDevToken } from '@cdp/platform';
import { ROLES, type Role } from '@cdp/util';
import { fail } from './kafka-cli';

function seconds(ttl: string): number {
  const m = /^(\d+)([smhd])$/.exec(ttl);
  if (!m) fail(`--ttl: like 30m, 8h or 2d, got ${ttl}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') fail('development tokens are not for production: use your identity provider');
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      role: { type: 'string', multiple: true },
      community: { type: 'string', multiple: true },
      street: { type: 'string' },
      district: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  if (!values.sub) fail('--sub is required (for residents, representatives and supervisors: their resident id)');
  const roles = (values.role ?? []) as Role[];
  if (!roles.length || roles.some((r) => !ROLES.includes(r))) fail(`--role is required, one or more of ${ROLES.join(', ')}`);
  const token = await signDevToken(
    { sub: values.sub, roles, communities: values.community ?? [], street: values.street, district: values.district },
    { secret: process.env.AUTH_DEV_SECRET, ttlSeconds: seconds(values.ttl!) },
  );
  process.stdout.write(`${token}\n`);
}

void main();
