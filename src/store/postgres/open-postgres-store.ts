import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { createStore } from '../create-store.ts'
import type { Database } from '../schema.ts'
import type { Store } from '../store.ts'

/** OID of BIGINT (int8), which is also what COUNT(*) returns. */
const INT8_OID = 20

/**
 * node-postgres returns BIGINT as a string (it may exceed 2^53). Ours are ms epochs, counts and
 * sequence ids, all far below 2^53, so parse them as numbers — for this pool only, not globally.
 */
function createTypes(): pg.TypeOverrides {
  const types = new pg.TypeOverrides()
  types.setTypeParser(INT8_OID, 'text', (value: string) => Number(value))
  return types
}

/** Options of {@link openPostgresStore}. */
export interface OpenPostgresStoreOptions {
  /** `postgres://user:pass@host:port/db` (also `postgresql://`). */
  connectionString: string
  masterKey: Buffer
  now?: (() => number) | undefined
  /** Pool size (default 10). */
  maxConnections?: number | undefined
}

/**
 * Opens a PostgreSQL store over a `pg` pool and migrates it. Several server replicas may share
 * one database: kysely's migrator takes a lock, and every multi-row change is a transaction.
 */
export async function openPostgresStore(options: OpenPostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types: createTypes(),
  })
  // An idle pooled connection that PostgreSQL closes (restart, failover, pg_terminate_backend)
  // is reported as an 'error' event; unhandled, it would end the process. The pool drops that
  // client, and the next query opens a fresh connection (or fails with its own error).
  pool.on('error', () => undefined)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return createStore(db, { dialect: 'postgres', masterKey: options.masterKey, now: options.now })
}
