import { sql, type Kysely } from 'kysely'
import { MasterKeyError } from './errors.ts'
import { migrateToLatest } from './migrations/index.ts'
import type { StoreDialect } from './migrations/dialect.ts'
import { createAccessKeyRepository } from './repositories/access-keys.ts'
import { createAliasRepository } from './repositories/aliases.ts'
import { createAuditRepository } from './repositories/audit.ts'
import { createBootstrapRepository } from './repositories/bootstrap.ts'
import type { RepositoryContext } from './repositories/context.ts'
import { createHistoryRepository } from './repositories/history.ts'
import { createInstanceRepository } from './repositories/instances.ts'
import { createPolicyRepository } from './repositories/policies.ts'
import { createSampledCollectionRepository } from './repositories/sampled-collections.ts'
import { createTempCredentialRepository } from './repositories/temp-credentials.ts'
import { createUserRepository } from './repositories/users.ts'
import type { Database } from './schema.ts'
import type { Store } from './store.ts'

/** Options of {@link createStore}. */
export interface CreateStoreOptions {
  dialect: StoreDialect
  /** 32 bytes (see `master-key.ts`). */
  masterKey: Buffer
  /** Clock for `createdAt`/`updatedAt`; default `Date.now`. */
  now?: (() => number) | undefined
}

/**
 * Migrates `db` to the latest schema and builds the repositories on it. This is the only place
 * that knows every repository; the dialect-specific part is how `db` was built. On a failed
 * migration the database is released before the error propagates.
 */
export async function createStore(
  db: Kysely<Database>,
  options: CreateStoreOptions
): Promise<Store> {
  if (options.masterKey.length !== 32) {
    await db.destroy()
    throw new MasterKeyError(`the master key must be 32 bytes, got ${options.masterKey.length}`)
  }
  try {
    await migrateToLatest(db, options.dialect)
  } catch (err) {
    await db.destroy()
    throw err
  }
  // A copy, so a caller that later zeroes or reuses its buffer cannot change our key.
  const ctx: RepositoryContext = {
    db,
    masterKey: Buffer.from(options.masterKey),
    now: options.now ?? Date.now,
  }
  return {
    users: createUserRepository(ctx),
    accessKeys: createAccessKeyRepository(ctx),
    policies: createPolicyRepository(ctx),
    instances: createInstanceRepository(ctx),
    sampledCollections: createSampledCollectionRepository(ctx),
    tempCredentials: createTempCredentialRepository(ctx),
    audit: createAuditRepository(ctx),
    bootstrap: createBootstrapRepository(ctx),
    aliases: createAliasRepository(ctx),
    history: createHistoryRepository(ctx),
    async ping() {
      await sql`select 1`.execute(db)
    },
    async close() {
      await db.destroy()
    },
  }
}
