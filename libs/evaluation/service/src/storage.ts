import type { DatabaseKind, Em, Orm } from '@cdp/platform';

/** The ballot box (R-E6). */
export const BALLOT_TABLE = 'evaluation_ballot';

/**
 * What the schema generator cannot express, run after the tables are brought up to date on
 * every start (idempotent):
 *
 * - R-E6 on SQLite: an ordinary table stores its rows in `rowid` order — the order in which
 *   the ballots were cast, which lines up with the order of the participation rows. The ballot
 *   table is therefore rebuilt once as `WITHOUT ROWID`, keyed (and so stored) by its random id.
 *   PostgreSQL has no rowid; nothing to do there.
 * - the roll snapshots of sessions opened before the snapshot kept the person (resident id)
 *   are completed from the representative roll, so those representatives can vote by token.
 */
export async function evaluationSchemaExtras(orm: Orm, kind: DatabaseKind): Promise<void> {
  const em = orm.em.fork() as Em;
  await em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    await conn.execute(
      `update evaluation_session_voter set resident_id = (select r.resident_id from representative_roll r where r.id = evaluation_session_voter.representative_id) where resident_id is null`,
      [],
      'run',
      ctx,
    );
  });
  if (kind === 'sqlite') await ballotTableWithoutRowid(orm);
}

/** The `create table` statement SQLite keeps for a table, or null when there is no such table. */
export async function sqliteTableSql(em: Em, table: string): Promise<string | null> {
  const rows = await em.getConnection().execute<{ sql: string }[]>(`select sql from sqlite_master where type = 'table' and name = ?`, [table], 'all', em.getTransactionContext());
  return rows[0]?.sql ?? null;
}

export const isWithoutRowid = (createSql: string): boolean => /\bwithout\s+rowid\s*$/i.test(createSql.trim());

/**
 * Rebuilds the ballot table as `WITHOUT ROWID` unless it already is: a new table with the same
 * columns and primary key (the statement SQLite kept, under another name), the rows copied, the
 * old table dropped, the new one renamed and the indexes created again — in one transaction.
 */
async function ballotTableWithoutRowid(orm: Orm): Promise<void> {
  const em = orm.em.fork() as Em;
  await em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    const run = (sql: string) => conn.execute(sql, [], 'run', ctx);
    const createSql = await sqliteTableSql(tx, BALLOT_TABLE);
    if (createSql === null || isWithoutRowid(createSql)) return;
    const columnsStart = createSql.indexOf('(');
    if (columnsStart < 0) throw new Error(`unexpected definition of ${BALLOT_TABLE}: ${createSql}`);
    const indexes = await conn.execute<{ sql: string }[]>(`select sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null`, [BALLOT_TABLE], 'all', ctx);
    const rebuilt = `${BALLOT_TABLE}__without_rowid`;
    await run(`drop table if exists \`${rebuilt}\``);
    await run(`create table \`${rebuilt}\` ${createSql.slice(columnsStart).trim()} without rowid`);
    await run(`insert into \`${rebuilt}\` select * from \`${BALLOT_TABLE}\``);
    await run(`drop table \`${BALLOT_TABLE}\``);
    await run(`alter table \`${rebuilt}\` rename to \`${BALLOT_TABLE}\``);
    for (const index of indexes) await run(index.sql);
  });
}
