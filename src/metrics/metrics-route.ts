import type { FastifyInstance } from 'fastify'
import { ApiError } from '../api/errors/api-error.ts'
import { errorBody } from '../api/errors/error-body.ts'
import { safeEqual } from '../api/signature/safe-equal.ts'
import type { Metrics } from './create-metrics.ts'
import { NO_ACTION, setHttpOutcome } from './http-metrics.ts'

/** Path of the Prometheus endpoint (contract §5). */
export const METRICS_PATH = '/metrics'

/**
 * `GET /metrics`: the Prometheus text format. With `token` (`REDIS_SESSIONS_METRICS_TOKEN`) the
 * scraper must send `Authorization: Bearer <token>` (Prometheus `authorization.credentials`);
 * without one the endpoint is open, as exporters usually are. A missing or wrong token is a 401
 * with a JSON error body like every other error (code `NoPermission`, the catalogue's nearest).
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: Metrics,
  token: string | undefined
): void {
  app.get(METRICS_PATH, async (request, reply) => {
    if (token !== undefined && !hasToken(request.headers.authorization, token)) {
      const error = new ApiError('NoPermission', {
        detail: `${METRICS_PATH} needs the header Authorization: Bearer <REDIS_SESSIONS_METRICS_TOKEN>`,
      })
      setHttpOutcome(request, { action: NO_ACTION, code: error.code })
      const body = errorBody(error, request.id, request.headers.host ?? 'redis-sessions')
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .type('application/json;charset=utf-8')
        .send(JSON.stringify(body))
    }
    const text = await metrics.scrape()
    return reply.type(metrics.contentType).send(text)
  })
}

function hasToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '')
  // Compared in constant time, whatever the given token's length.
  return safeEqual(match?.[1] ?? '', token)
}
