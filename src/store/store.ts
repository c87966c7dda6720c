import type {
  AccessKeyRepository,
  BootstrapRepository,
  PolicyRepository,
  TempCredentialRepository,
  UserRepository,
} from './identity-types.ts'
import type { InstanceRepository, SampledCollectionRepository } from './instance-types.ts'
import type { AliasRepository, AuditRepository, HistoryRepository } from './record-types.ts'

// The shapes live in three files by subject; callers import them all from here.
export type * from './identity-types.ts'
export type * from './instance-types.ts'
export type * from './record-types.ts'

/**
 * The persistence interface used by the API server, the CLI, the audit log, aliases and the
 * history sampler. One implementation on kysely serves SQLite and PostgreSQL; callers see only
 * this. Times are ms since the epoch. Missing things → `StoreNotFoundError`, duplicates →
 * `StoreConflictError`, bad arguments → `StoreInvalidInputError` (see `errors.ts`).
 */
export interface Store {
  users: UserRepository
  accessKeys: AccessKeyRepository
  policies: PolicyRepository
  instances: InstanceRepository
  sampledCollections: SampledCollectionRepository
  tempCredentials: TempCredentialRepository
  audit: AuditRepository
  /** The first administrator, all at once (server bootstrap). */
  bootstrap: BootstrapRepository
  aliases: AliasRepository
  history: HistoryRepository
  /** Resolves when the database answers a trivial query (for /healthz); rejects otherwise. */
  ping(): Promise<void>
  /** Releases the database (file handle or pool). The store is unusable afterwards. */
  close(): Promise<void>
}
