import type { Logger } from 'pino'
import { createMemoryNonceStore, type NonceStore } from '../api/signature/nonce-store.ts'
import { createSamplerLeadership, type SamplerLeadership } from '../service/sampler-leadership.ts'
import { StoreConflictError } from '../store/errors.ts'
import { isPostgresUrl } from '../store/open-store.ts'
import { createPostgresNonceStore } from '../store/postgres/nonce-store.ts'
import type { Store } from '../store/store.ts'
import {
  bootstrapAdmin,
  type AdminBootstrap,
  type GeneratedAdminSecrets,
} from './bootstrap-admin.ts'

/** What replicas of one deployment share beyond the store (docs/deployment.md). */
export interface ReplicaCoordination {
  /** PostgreSQL: the `nonces` table, so a nonce used on one replica is refused on all. */
  nonces: NonceStore
  /** The history sampler's `shouldSample` hook: one replica samples per interval. */
  leadership: SamplerLeadership
  close(): Promise<void>
}

/**
 * PostgreSQL (`DATABASE_URL`): the shared nonce store and the advisory-lock leadership, so any
 * number of replicas can serve one deployment. SQLite: one process, the in-memory nonce store
 * and always-sample. Nothing connects until first used.
 */
export function openReplicaCoordination(
  databaseUrl: string | undefined,
  logger: Logger
): ReplicaCoordination {
  const leadership = createSamplerLeadership({ databaseUrl, logger })
  if (!isPostgresUrl(databaseUrl)) {
    return { nonces: createMemoryNonceStore(), leadership, close: () => leadership.close() }
  }
  const nonces = createPostgresNonceStore({
    connectionString: databaseUrl,
    onError: (error) => logger.warn({ err: error }, 'nonce store'),
  })
  return {
    nonces,
    leadership,
    async close() {
      await leadership.close()
      await nonces.close()
    },
  }
}

/**
 * `bootstrapAdmin`, tolerating replicas that start at once on an empty database: the one that
 * loses a race to create `admin` (or the environment's AccessKey) sees a conflict, and running
 * again finds what the winner created.
 */
export async function bootstrapAdminAmongReplicas(
  store: Store,
  given: AdminBootstrap
): Promise<GeneratedAdminSecrets> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bootstrapAdmin(store, given)
    } catch (error) {
      if (!(error instanceof StoreConflictError) || attempt >= 3) throw error
    }
  }
}
