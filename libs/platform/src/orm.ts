import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LockMode, MikroORM, type EntityClass, type Options } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/knex';
import type { Logger } from './logger';

/** Every service works with the SQL entity manager (both drivers are knex-based). */
export type Em = EntityManager;
export type Orm = MikroORM;

export type DatabaseKind = 'sqlite' | 'postgresql';

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`unsupported DATABASE_URL ${url}`);
}

export interface OpenDatabaseOptions {
  /** `sqlite:<file>` (embedded default) or `postgresql://user@host:port/db` */
  url: string;
  entities: EntityClass<unknown>[];
  logger: Logger;
  /** create missing tables and columns at start (never drops anything) */
  updateSchema?: boolean;
}

/**
 * Opens the service's own database. SQLite runs embedded in a file (WAL mode, foreign keys on);
 * PostgreSQL is created if missing. The schema is brought up to date from the entity metadata
 * in "safe" mode: tables and columns are added, nothing is dropped.
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Orm> {
  const kind = databaseKind(opts.url);
  const common: Partial<Options> = {
    entities: opts.entities,
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    logger: (msg: string) => opts.logger.debug({ orm: msg }),
    discovery: { warnWhenNoEntities: true },
  };
  let orm: MikroORM;
  if (kind === 'sqlite') {
    const file = resolve(opts.url.slice('sqlite:'.length));
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    orm = await MikroORM.init({
      ...common,
      driver: BetterSqliteDriver,
      dbName: file,
      pool: { min: 1, max: 1, afterCreate: sqliteAfterCreate },
    } as Options);
  } else {
    orm = await MikroORM.init({ ...common, driver: PostgreSqlDriver, clientUrl: opts.url } as Options);
  }
  if (opts.updateSchema !== false) {
    await orm.schema.ensureDatabase();
    await orm.schema.updateSchema({ safe: true });
    await platformSchemaExtras(orm, kind);
  }
  return orm;
}

/** What the schema generator cannot express: column defaults and append-only triggers. */
async function platformSchemaExtras(orm: MikroORM, kind: DatabaseKind): Promise<void> {
  const conn = orm.em.getConnection();
  const hasTable = async (name: string) =>
    kind === 'sqlite'
      ? (await conn.execute<{ n: number }[]>(`select count(*) as n from sqlite_master where type = 'table' and name = ?`, [name]))[0]!.n > 0
      : (await conn.execute<{ n: string }[]>(`select count(*) as n from information_schema.tables where table_name = ?`, [name]))[0]!.n !== '0';
  if (kind === 'postgresql' && (await hasTable('outbox'))) {
    // stamp every outbox row with its transaction (see OutboxMessage.txid)
    await conn.execute('alter table "outbox" alter column "txid" set default (pg_current_xact_id()::text::bigint)');
  }
  if (await hasTable('audit_log')) {
    if (kind === 'sqlite') {
      await conn.execute(`create trigger if not exists audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`);
      await conn.execute(`create trigger if not exists audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`);
    } else {
      await conn.execute(`create or replace function audit_log_append_only() returns trigger as $$ begin raise exception 'audit_log is append-only'; end $$ language plpgsql`);
      await conn.execute('drop trigger if exists audit_log_append_only on audit_log');
      await conn.execute('create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_append_only()');
    }
  }
}

function sqliteAfterCreate(conn: { pragma?: (s: string) => unknown }, done: (err: Error | null, conn: unknown) => void): void {
  try {
    conn.pragma?.('journal_mode = WAL');
    conn.pragma?.('foreign_keys = ON');
    conn.pragma?.('busy_timeout = 5000');
    done(null, conn);
  } catch (e) {
    done(e as Error, conn);
  }
}

/** Statements of the platform's own background work (outbox relay, inbox, transactions). */
const BACKGROUND_SQL = /\b(outbox|inbox)\b|pg_try_advisory|^\s*(begin|commit|rollback|savepoint|release savepoint)\b/i;

/**
 * Counts the SQL statements resolvers send — used by tests that prove reference batching (one
 * query per entity type). The relay polling the outbox in the background is not counted.
 */
export function countQueries(orm: Orm): { readonly count: number; reset(): void; stop(): void; readonly sql: string[] } {
  const knex = (orm.em as Em).getConnection().getKnex();
  const state = { count: 0, sql: [] as string[] };
  const listener = (q: { sql: string }) => {
    if (BACKGROUND_SQL.test(q.sql)) return;
    state.count += 1;
    state.sql.push(q.sql);
  };
  knex.on('query', listener);
  return {
    get count() {
      return state.count;
    },
    get sql() {
      return state.sql;
    },
    reset() {
      state.count = 0;
      state.sql = [];
    },
    stop() {
      knex.removeListener('query', listener);
    },
  };
}

/**
 * Options for a row lock that serialises check-then-write rules (e.g. "at most three
 * representatives per group") across concurrent requests: `SELECT … FOR UPDATE` on PostgreSQL.
 * SQLite needs none — its writers are serialised by the database itself.
 */
export function forUpdate(em: Em): { lockMode?: LockMode.PESSIMISTIC_WRITE } {
  return em.getDriver() instanceof PostgreSqlDriver ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
}
