/**
 * Event contract compatibility.
 *   npm run contracts            compare every topic with its released snapshot; fail on a
 *                                breaking change (CI runs this in `npm run check`)
 *   npm run contracts -- --release   write the snapshots of the current catalogue
 * Snapshots live in libs/contracts/released/<topic>.json. A breaking change to a `.vN` topic
 * needs a new `.vN+1` topic, published side by side with the old one until consumers move.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { breakingChanges, CATALOGUE, payloadJsonSchema, type JsonSchema } from '@cdp/contracts';
import { repoRoot } from './paths';

export const RELEASED_DIR = join(repoRoot, 'libs', 'contracts', 'released');

export function compatibilityReport(): { problems: string[]; unreleased: string[] } {
  const problems: string[] = [];
  const unreleased: string[] = [];
  const topics = new Set(CATALOGUE.map((c) => c.topic));
  for (const c of CATALOGUE) {
    const file = join(RELEASED_DIR, `${c.topic}.json`);
    if (!existsSync(file)) {
      unreleased.push(c.topic);
      continue;
    }
    const released = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
    for (const p of breakingChanges(released, payloadJsonSchema(c))) problems.push(`${c.topic} ${p}`);
  }
  if (existsSync(RELEASED_DIR)) {
    for (const f of readdirSync(RELEASED_DIR)) {
      const topic = f.replace(/\.json$/, '');
      if (!topics.has(topic)) problems.push(`${topic}: released topic removed from the catalogue (subscribers may still read it)`);
    }
  }
  return { problems, unreleased };
}

function main(): void {
  if (process.argv.includes('--release')) {
    mkdirSync(RELEASED_DIR, { recursive: true });
    for (const c of CATALOGUE) writeFileSync(join(RELEASED_DIR, `${c.topic}.json`), `${JSON.stringify(payloadJsonSchema(c), null, 2)}\n`);
    process.stdout.write(`released ${CATALOGUE.length} contract snapshots to libs/contracts/released/\n`);
    return;
  }
  const { problems, unreleased } = compatibilityReport();
  for (const t of unreleased) process.stdout.write(`not released yet (no snapshot): ${t}\n`);
  if (problems.length) {
    process.stderr.write(`breaking changes to released topics — publish a .vN+1 topic instead:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`contracts compatible with ${CATALOGUE.length - unreleased.length} released snapshots\n`);
}

if (require.main === module) main();
