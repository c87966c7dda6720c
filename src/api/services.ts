import type { Logger } from 'pino'
import type { InstanceSessions } from '../service/instance-sessions.ts'
import type { DeploymentSpec } from '../core/topology/topology.ts'
import type { Store } from '../store/store.ts'
import type { RateLimiter } from './rate-limit/token-bucket.ts'
import type { NonceStore } from './signature/nonce-store.ts'

/** What actions and the RPC pipeline use; built once by the server (`start-server.ts`). */
export interface Services {
  store: Store
  /** Single-flight, short-cached collection per instance. */
  sessions: InstanceSessions
  nonces: NonceStore
  /** Per-AccessKeyId request limit (`REDIS_SESSIONS_RATE_LIMIT`); absent = no limit. */
  rateLimiter?: RateLimiter | undefined
  /** The deployment behind a registered instance, credentials decrypted; undefined = unknown. */
  deploymentOf(instanceId: string): Promise<DeploymentSpec | undefined>
  /** `ClientDesc` resolver for one instance (aliases, contract §5). */
  aliasesFor(instanceId: string): Promise<(client: string) => string>
  now(): Date
  logger: Logger
}
