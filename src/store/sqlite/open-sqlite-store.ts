import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { createStore } from '../create-store.ts'
import { StoreUnavailableError } from '../errors.ts'
import { SameFileGuard } from './same-file-guard.ts'
import type { Database } from '../schema.ts'
import type { Store } from '../store.ts'

/** Options of {@link openSqliteStore}. */
export interface OpenSqliteStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string
  masterKey: Buffer
  now?: (() => number) | undefined
  /** How long a writer waits for another process's lock, ms (default 5000). */
  busyTimeoutMs?: number | undefined
}

/**
 * Opens (creating and migrating when needed) a SQLite store. WAL lets the CLI read while the
 * server writes; busy_timeout makes a second process wait for a lock instead of failing at
 * once; foreign_keys is per connection in SQLite and off by default.
 */
export async function openSqliteStore(options: OpenSqliteStoreOptions): Promise<Store> {
  await mkdir(dirname(options.file), { recursive: true, mode: 0o700 })
  let database: BetterSqlite3.Database
  try {
    database = new BetterSqlite3(options.file)
  } catch (err) {
    throw cannotOpen(options.file, err)
  }
  try {
    database.pragma('journal_mode = WAL')
    database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`)
    database.pragma('foreign_keys = ON')
  } catch (err) {
    database.close()
    throw cannotOpen(options.file, err)
  }
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database }),
    plugins: [new SameFileGuard(options.file)],
  })
  return createStore(db, { dialect: 'sqlite', masterKey: options.masterKey, now: options.now })
}

/** better-sqlite3 says only "unable to open database file": name the file, keep the code. */
function cannotOpen(file: string, cause: unknown): StoreUnavailableError {
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : 'unknown'
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new StoreUnavailableError(`cannot open the SQLite store ${file}: ${reason} (${code})`, {
    cause,
  })
}
