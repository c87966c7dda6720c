/**
 * An app of our own for the faults the configured server cannot show on demand: `createApp`
 * with the real action registry, store and services (`createServices`), but a nonce store of
 * chosen size, a session collector that waits until told, a per-AccessKey or per-action rate
 * limit, a clock that is off, or HTTPS required. Listens on a free port like the real server.
 */
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { createActionRegistry } from '../../src/api/actions/registry.ts'
import { createApp } from '../../src/api/create-app.ts'
import { DEFAULT_IDLE_THRESHOLD_SECONDS } from '../../src/core/insights/session-insights.ts'
import { DEFAULT_NODE_TIMEOUT_MS } from '../../src/core/redis/connection-options.ts'
import type { ApiRateLimits } from '../../src/api/rate-limit/throttle-action.ts'
import type { RateLimiter } from '../../src/api/rate-limit/token-bucket.ts'
import type { NonceStore } from '../../src/api/signature/nonce-store.ts'
import { createServices } from '../../src/server/create-services.ts'
import type { InstanceSessions } from '../../src/service/instance-sessions.ts'
import type { Store } from '../../src/store/store.ts'

export interface AuxApp {
  readonly app: FastifyInstance
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** `127.0.0.1:<port>` */
  readonly endpoint: string
}

/** Options of {@link startAuxApp}. */
export interface AuxAppOptions {
  readonly nonces?: NonceStore
  readonly sessions?: InstanceSessions
  /** The per-AccessKeyId limiter (`Throttling.User`); default none. */
  readonly rateLimiter?: RateLimiter
  /** The server's clock (`Services.now`); default the wall clock. */
  readonly now?: () => Date
  /** `REDIS_SESSIONS_API_RATE_LIMIT` as parsed; default none. */
  readonly apiRateLimits?: ApiRateLimits
  /** The app's `requireHttps` and `trustedProxies` (`REDIS_SESSIONS_REQUIRE_HTTPS`, `…_TRUST_PROXY`). */
  readonly requireHttps?: boolean
  readonly trustedProxies?: readonly string[]
  /** Called with the app before it listens (e.g. to add hooks). */
  readonly prepare?: (app: FastifyInstance) => void
}

/** Builds the app on `store` and listens on 127.0.0.1, port 0. */
export async function startAuxApp(store: Store, options: AuxAppOptions = {}): Promise<AuxApp> {
  // What differs from the server: no result cache, no AccessKey rate limit unless one is given,
  // no metrics, a silent logger.
  const services = createServices(
    store,
    {
      nodeTimeoutMs: DEFAULT_NODE_TIMEOUT_MS,
      resultCacheMs: 0,
      idleThresholdSeconds: DEFAULT_IDLE_THRESHOLD_SECONDS,
      rateLimitPerSecond: 0,
      apiRateLimits: options.apiRateLimits,
    },
    {
      logger: pino({ level: 'silent' }),
      nonces: options.nonces,
      now: options.now,
      replace: {
        ...(options.sessions === undefined ? {} : { sessions: options.sessions }),
        ...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }),
      },
    }
  )
  const app = createApp({
    services,
    actions: createActionRegistry(),
    requireHttps: options.requireHttps,
    trustedProxies: options.trustedProxies,
  })
  options.prepare?.(app)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (typeof address !== 'object' || address === null) throw new Error('no TCP address')
  const endpoint = `127.0.0.1:${address.port}`
  return { app, url: `http://${endpoint}`, endpoint }
}
