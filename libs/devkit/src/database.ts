import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export type TestDatabaseKind = 'sqlite' | 'postgresql';

/** Which database the integration tests run on: TEST_DATABASE=postgres selects PostgreSQL. */
export function testDatabaseKind(): TestDatabaseKind {
  const v = (process.env.TEST_DATABASE ?? 'sqlite').toLowerCase();
  return v.startsWith('postgres') ? 'postgresql' : 'sqlite';
}

export interface TestDatabase {
  url: string;
  kind: TestDatabaseKind;
  drop(): Promise<void>;
}

const PG_ADMIN_URL = () => process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, uniquely named database for one test: an SQLite file in a temp folder, or a new
 * PostgreSQL database (TEST_DATABASE=postgres) that `drop()` removes again.
 */
export async function createTestDatabase(label: string, kind: TestDatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  const name = `cdp_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-db-'));
    return { kind, url: `sqlite:${join(dir, `${name}.sqlite`)}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = new Client({ connectionString: PG_ADMIN_URL() });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL());
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL() });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
