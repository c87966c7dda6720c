/**
 * An app of our own for the faults the configured server cannot show on demand: `createApp`
 * with the real action registry and store, but a nonce store of chosen size or a session
 * collector that waits until told. Listens on a free port like the real server.
 */
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { createActionRegistry } from '../../src/api/actions/registry.ts'
import { createApp } from '../../src/api/create-app.ts'
import type { Services } from '../../src/api/services.ts'
import { DEFAULT_IDLE_THRESHOLD_SECONDS } from '../../src/core/insights/session-insights.ts'
import { DEFAULT_NODE_TIMEOUT_MS } from '../../src/core/redis/connection-options.ts'
import { createMemoryNonceStore, type NonceStore } from '../../src/api/signature/nonce-store.ts'
import {
  createInstanceSessions,
  type InstanceSessions,
} from '../../src/service/instance-sessions.ts'
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
  /** Called with the app before it listens (e.g. to add hooks). */
  readonly prepare?: (app: FastifyInstance) => void
}

/** Builds the app on `store` and listens on 127.0.0.1, port 0. */
export async function startAuxApp(store: Store, options: AuxAppOptions = {}): Promise<AuxApp> {
  const services: Services = {
    store,
    nonces: options.nonces ?? createMemoryNonceStore(),
    // Nothing is resolvable: the fault tests never reach a Redis.
    sessions:
      options.sessions ??
      createInstanceSessions({ resolve: () => Promise.resolve(undefined), resultCacheMs: 0 }),
    deploymentOf: () => Promise.resolve(undefined),
    aliasesFor: () => Promise.resolve(() => ''),
    nodeTimeoutMs: DEFAULT_NODE_TIMEOUT_MS,
    idleThresholdSeconds: DEFAULT_IDLE_THRESHOLD_SECONDS,
    now: () => new Date(),
    logger: pino({ level: 'silent' }),
  }
  const app = createApp({ services, actions: createActionRegistry() })
  options.prepare?.(app)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (typeof address !== 'object' || address === null) throw new Error('no TCP address')
  const endpoint = `127.0.0.1:${address.port}`
  return { app, url: `http://${endpoint}`, endpoint }
}
