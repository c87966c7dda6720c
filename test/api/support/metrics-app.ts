import type { FastifyInstance } from 'fastify'
import type { AnyAction } from '../../../src/api/actions/action.ts'
import { getRedisAllSession } from '../../../src/api/actions/get-redis-all-session/handler.ts'
import { createApp } from '../../../src/api/create-app.ts'
import { createMetrics } from '../../../src/metrics/create-metrics.ts'
import { createInstanceSessions } from '../../../src/service/instance-sessions.ts'
import type { TestApp } from './test-app.ts'

const LISTING_ONLY: ReadonlyMap<string, AnyAction> = new Map([
  [getRedisAllSession.name, getRedisAllSession],
])

/**
 * An app serving `/metrics` over the store and services of `testApp` (whose own app has no
 * metrics), its listings uncached and counted by those metrics. Ready, never listening; close
 * it before `testApp`.
 */
export async function createMetricsApp(
  testApp: TestApp,
  actions: ReadonlyMap<string, AnyAction> = LISTING_ONLY
): Promise<FastifyInstance> {
  const metrics = createMetrics()
  const sessions = createInstanceSessions({
    resolve: (id) => testApp.services.deploymentOf(id),
    resultCacheMs: 0,
    onSnapshot: metrics.onSnapshot,
    onCollectError: metrics.onCollectError,
  })
  const app = createApp({ services: { ...testApp.services, sessions }, actions, metrics })
  await app.ready()
  return app
}
