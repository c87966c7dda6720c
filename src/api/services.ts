import type { Logger } from 'pino'
import type { InstanceSessions } from '../service/instance-sessions.ts'
import type { DeploymentSpec } from '../core/topology/topology.ts'
import type { Store } from '../store/store.ts'
import type { ActionLimiter } from './rate-limit/throttle-action.ts'
import type { RateLimiter } from './rate-limit/token-bucket.ts'
import type { NonceStore } from './signature/nonce-store.ts'

/**
 * What actions and the RPC pipeline use; built by `createServices`
 * (`src/server/create-services.ts`) for the server, the tests' apps and the CLI alike.
 */
export interface Services {
  store: Store
  /** Single-flight, short-cached collection per instance. */
  sessions: InstanceSessions
  nonces: NonceStore
  /** Per-AccessKeyId request limit (`REDIS_SESSIONS_RATE_LIMIT`); absent = no limit. */
  rateLimiter?: RateLimiter | undefined
  /** Per-action request limit over all callers (`REDIS_SESSIONS_API_RATE_LIMIT`); absent = none. */
  actionLimiter?: ActionLimiter | undefined
  /** The deployment behind a registered instance, credentials decrypted; undefined = unknown. */
  deploymentOf(instanceId: string): Promise<DeploymentSpec | undefined>
  /** `ClientDesc` resolver for one instance (aliases, contract §5). */
  aliasesFor(instanceId: string): Promise<(client: string) => string>
  /**
   * Connect and command timeout per Redis node, ms (`REDIS_SESSIONS_NODE_TIMEOUT_MS`): what
   * listings use, and the registration probe of Add/ModifyRedisInstance too.
   */
  nodeTimeoutMs: number
  /**
   * A session idle at least this long counts as idle, seconds (`REDIS_SESSIONS_IDLE_THRESHOLD_S`):
   * the metrics' threshold and the default `IdleThresholdSeconds` of DescribeRedisSessionInsights.
   */
  idleThresholdSeconds: number
  now(): Date
  logger: Logger
}
