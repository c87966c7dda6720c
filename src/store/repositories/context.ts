import type { Kysely } from 'kysely'
import type { Database } from '../schema.ts'

/** What every repository is built from: the database, the master key, a clock. */
export interface RepositoryContext {
  db: Kysely<Database>
  /** 32 bytes; seals AccessKey secrets, temporary secrets and instance passwords. */
  masterKey: Buffer
  /** ms since the epoch; injectable so tests get exact times. */
  now: () => number
}
