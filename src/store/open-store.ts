import { join } from 'node:path'
import { openPostgresStore } from './postgres/open-postgres-store.ts'
import { openSqliteStore } from './sqlite/open-sqlite-store.ts'
import type { Store } from './store.ts'

/** File name of the SQLite database inside the data directory. */
export const SQLITE_FILE = 'redis-sessions.db'

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** `DATABASE_URL`: `postgres://` or `postgresql://` selects PostgreSQL; else SQLite. */
  databaseUrl?: string | undefined
  /** `REDIS_SESSIONS_DATA_DIR`: home of `redis-sessions.db` (SQLite). */
  dataDir: string
  /** 32 bytes from `loadMasterKey`. */
  masterKey: Buffer
  /** Clock for `createdAt`/`updatedAt`; default `Date.now` (tests pin it). */
  now?: (() => number) | undefined
}

/** Is this a PostgreSQL connection URL? */
export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url)
}

/**
 * Opens the store the configuration asks for and brings its schema up to date:
 * PostgreSQL when `databaseUrl` is a postgres URL, otherwise the SQLite file
 * `<dataDir>/redis-sessions.db`.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { databaseUrl, masterKey, now } = options
  if (isPostgresUrl(databaseUrl)) {
    return openPostgresStore({ connectionString: databaseUrl, masterKey, now })
  }
  return openSqliteStore({ file: join(options.dataDir, SQLITE_FILE), masterKey, now })
}
