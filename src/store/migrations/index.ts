import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import { StoreError } from '../errors.ts'
import type { Database } from '../schema.ts'
import type { StoreDialect } from './dialect.ts'
import * as m0001 from './0001-initial.ts'
import * as m0002 from './0002-nonces.ts'
import * as m0003 from './0003-instance-address-map.ts'
import * as m0004 from './0004-sampled-collections.ts'

/**
 * Every migration, in order. Listed here rather than found by scanning a folder, so the same
 * list works under tsx, compiled to dist/, and bundled. Names sort in application order.
 */
function listMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': { up: (db) => m0001.up(db, dialect) },
    '0002-nonces': { up: (db) => m0002.up(db, dialect) },
    '0003-instance-address-map': { up: (db) => m0003.up(db) },
    '0004-sampled-collections': { up: (db) => m0004.up(db, dialect) },
  }
}

/** A kysely MigrationProvider over {@link listMigrations}. */
export function createMigrationProvider(dialect: StoreDialect): MigrationProvider {
  return { getMigrations: () => Promise.resolve(listMigrations(dialect)) }
}

/**
 * Brings the database to the latest schema. Safe with several replicas starting at once: kysely's
 * Migrator serialises runs through its lock table.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: StoreDialect): Promise<void> {
  const migrator = new Migrator({ db, provider: createMigrationProvider(dialect) })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    // No migration named: the database could not be reached or locked at all. Say why (the
    // driver's first line and code: "connect ECONNREFUSED 127.0.0.1:5432"; never the URL).
    const what =
      failed === undefined ? 'the store could not be migrated' : `store migration ${failed} failed`
    throw new StoreError('StoreMigrationFailed', `${what}: ${describeCause(error)}`, {
      cause: error,
    })
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error'
  const line = (error.message.split('\n', 1)[0] ?? '').slice(0, 200) || error.name
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined
  return code === undefined || line.includes(code) ? line : `${line} (${code})`
}
