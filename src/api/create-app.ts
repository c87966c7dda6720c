import { randomUUID } from 'node:crypto'
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import { createMetrics, type Metrics } from '../metrics/create-metrics.ts'
import { httpOutcomeOf, NO_ACTION, setHttpOutcome } from '../metrics/http-metrics.ts'
import { registerMetricsRoute } from '../metrics/metrics-route.ts'
import type { AnyAction } from './actions/action.ts'
import { answerClientError, frameworkApiError, ignoreUnknownExpectations } from './client-errors.ts'
import { compressResponse } from './compress-response.ts'
import { ApiError } from './errors/api-error.ts'
import { errorBody } from './errors/error-body.ts'
import { registerSignInRoute } from './console/sign-in-route.ts'
import { CONSOLE_CSP, registerConsoleStatic } from './console/static-console.ts'
import type { RpcRequest } from './protocol/rpc-request.ts'
import { handleRpc } from './rpc/handle-rpc.ts'
import { isServerFault, toApiError } from './rpc/to-api-error.ts'
import type { Services } from './services.ts'

/** Largest request body, bytes: RPC parameters are small; a kill list of 10k sessions fits. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024

export interface AppOptions {
  services: Services
  actions: ReadonlyMap<string, AnyAction>
  bodyLimitBytes?: number
  https?: { cert: Buffer; key: Buffer } | undefined
  /** Metrics fed by the app and served at `/metrics`; default a fresh registry (no session gauges). */
  metrics?: Metrics | undefined
  /** Bearer token of `GET /metrics` (`REDIS_SESSIONS_METRICS_TOKEN`); absent = open. */
  metricsToken?: string | undefined
  /**
   * Reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed
   * (`REDIS_SESSIONS_TRUST_PROXY`: addresses, CIDR ranges, `loopback`, `linklocal`,
   * `uniquelocal`); default none: the socket's peer is the client and https means TLS here.
   */
  trustedProxies?: readonly string[] | undefined
  /**
   * `REDIS_SESSIONS_REQUIRE_HTTPS`: a request that did not come over HTTPS (TLS here, or
   * `X-Forwarded-Proto: https` from a trusted proxy) gets `InvalidProtocol.NeedSsl`, except
   * `/healthz` and a `/metrics` without bearer token (load balancers and scrapers often probe in
   * plain HTTP; a token must not cross in clear).
   */
  requireHttps?: boolean | undefined
  /** Socket timeouts, ms; default {@link SERVER_TIMEOUTS} (tests shorten them). */
  timeouts?: Partial<ServerTimeouts> | undefined
}

/** HTTP server timeouts, ms (docs/metrics.md "HTTP hardening"). */
export interface ServerTimeouts {
  /** Idle keep-alive socket; SDKs keep sockets alive, so the server must not close them first. */
  keepAliveMs: number
  /** All request headers must arrive within this (slowloris); above `keepAliveMs` (Node's advice). */
  headersMs: number
  /** The whole request, body included, must arrive within this. */
  requestMs: number
  /** How often Node checks the two limits above. */
  checkIntervalMs: number
}

/** Production timeouts: keep-alive 30 s (≥ 25 s), headers 35 s, request 60 s, checked every 5 s. */
export const SERVER_TIMEOUTS: Readonly<ServerTimeouts> = Object.freeze({
  keepAliveMs: 30_000,
  headersMs: 35_000,
  requestMs: 60_000,
  checkIntervalMs: 5_000,
})

/** CSP of every response but HTML (JSON, metrics text): nothing may load or frame it. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
/**
 * `Strict-Transport-Security` of answers over HTTPS (TLS here, or a trusted proxy's
 * `X-Forwarded-Proto: https`): browsers use HTTPS only for a year. Never over plain HTTP, where
 * browsers ignore it (RFC 6797 §7.2). No `includeSubDomains`: other hosts of the domain are not ours.
 */
export const HSTS = 'max-age=31536000'

const JSON_TYPE = 'application/json;charset=utf-8'

/**
 * The HTTP application: `/` speaks the Alibaba RPC protocol (GET and POST), `/healthz`
 * checks the store. Every answer is JSON with a `RequestId` and `x-acs-request-id`
 * (protocol.md §8, §11). Never calls `listen()`.
 */
export function createApp(options: AppOptions): FastifyInstance {
  const { services, actions } = options
  const timeouts = { ...SERVER_TIMEOUTS, ...options.timeouts }
  const nodeServerOptions = {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: timeouts.checkIntervalMs,
    // A request without Host gets a coded error from the pipeline, not Node's bodiless 400.
    requireHostHeader: false,
  }
  const metrics = options.metrics ?? createMetrics()
  const trustedProxies = options.trustedProxies ?? []
  const loggerInstance: FastifyBaseLogger = services.logger
  const app = Fastify({
    loggerInstance,
    // Our own access log line: Fastify's would print the URL, whose query can hold a SecurityToken.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // SDKs keep sockets alive; the server must not close them first (protocol.md §1).
    keepAliveTimeout: timeouts.keepAliveMs,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: 60_000,
    genReqId: () => randomUUID().toUpperCase(),
    // request.ip and request.protocol — hence audit SourceIp, acs:SourceIp, acs:SecureTransport
    // and the sign-in throttle — read X-Forwarded-* only when the socket's peer is one of these;
    // X-Forwarded-For is walked from the right, through trusted hops only.
    trustProxy: trustedProxies.length === 0 ? false : [...trustedProxies],
    // While closing, requests get our own ServiceUnavailable body (onRequest hook below), not
    // Fastify's {"error":…} 503, which pop-core (it ignores HTTP statuses) would take for success.
    return503OnClosing: false,
    // Malformed requests and undecodable paths answer the JSON error body too (client-errors.ts).
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) => {
      // No route matched, so no onSend hook runs: set the headers every answer carries here.
      void reply.header('x-acs-request-id', request.id)
      setSecurityHeaders(reply)
      void sendError(request, reply, frameworkApiError(error))
    },
    // headersTimeout and the check interval exist only as Node server options.
    ...(options.https === undefined
      ? { http: nodeServerOptions }
      : { https: { ...options.https, ...nodeServerOptions } }),
  })

  let closing = false
  app.addHook('preClose', (done) => {
    closing = true
    done()
  })
  app.addHook('onRequest', async (request, reply) => {
    if (closing) {
      void reply.header('connection', 'close')
      throw new ApiError('ServiceUnavailable', { detail: 'the server is shutting down' })
    }
    // Before anything is read: whatever was sent in clear is refused, never used.
    if (
      options.requireHttps === true &&
      request.protocol !== 'https' &&
      !isProbe(request.url, options.metricsToken)
    ) {
      throw new ApiError('InvalidProtocol.NeedSsl', { detail: 'this server requires HTTPS' })
    }
  })

  ignoreUnknownExpectations(app.server)

  // Keep every body raw: signatures are verified over the bytes received.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-acs-request-id', request.id)
    setSecurityHeaders(reply)
    return payload
  })
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeHttp(httpOutcomeOf(request, reply.statusCode), reply.elapsedTime / 1000)
  })
  // No CORS: no Access-Control-* header is ever sent, so browsers keep other origins out.

  app.route({
    method: ['GET', 'POST'],
    url: '/',
    handler: async (request, reply) => {
      const started = performance.now()
      const response = await handleRpc(toRpcRequest(request), request.id, services, actions)
      setHttpOutcome(request, { action: response.action ?? NO_ACTION, code: response.code })
      request.log.info(
        { status: response.status, ms: Math.round(performance.now() - started) },
        'rpc'
      )
      const sent = reply
        .code(response.status)
        .headers(response.headers)
        .header('vary', 'accept-encoding')
        .type(JSON_TYPE)
      const compressed = await compressResponse(response.body, request.headers['accept-encoding'])
      if (compressed === undefined) return sent.send(response.body)
      return sent.header('content-encoding', compressed.encoding).send(compressed.body)
    },
  })

  app.get('/healthz', async (_request, reply) => {
    await services.store.ping()
    return reply.type(JSON_TYPE).send('{"Status":"ok"}')
  })

  registerMetricsRoute(app, metrics, options.metricsToken)
  registerSignInRoute(app, services)
  registerConsoleStatic(app)

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?', 1)[0]
    const code = path === '/' ? 'UnsupportedHTTPMethod' : 'InvalidApi.NotFound'
    return sendError(request, reply, new ApiError(code, { detail: `${request.method} ${path}` }))
  })

  app.setErrorHandler(async (error, request, reply) => {
    const apiError = toApiError(error)
    if (isServerFault(apiError)) request.log.error({ err: error }, 'unexpected')
    return sendError(request, reply, apiError)
  })

  return app
}

/**
 * `/healthz`, and `/metrics` unless it has a bearer token (which must not cross in clear),
 * with or without a query: plain HTTP stays allowed for them.
 */
function isProbe(url: string, metricsToken: string | undefined): boolean {
  const path = url.split('?', 1)[0]
  return path === '/healthz' || (path === '/metrics' && metricsToken === undefined)
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  setHttpOutcome(request, { action: NO_ACTION, code: error.code })
  const host = request.headers.host ?? 'redis-sessions'
  return reply
    .code(error.httpStatus)
    .headers({ ...error.headers })
    .type(JSON_TYPE)
    .send(JSON.stringify(errorBody(error, request.id, host)))
}

/**
 * Headers of every response: HTML gets the console's CSP (static-console.ts, the one definition),
 * everything else {@link DATA_CSP}; HTTPS answers also {@link HSTS}.
 */
function setSecurityHeaders(reply: FastifyReply): void {
  void reply.header('x-content-type-options', 'nosniff')
  void reply.header('x-frame-options', 'DENY')
  void reply.header('referrer-policy', 'no-referrer')
  if (reply.request.protocol === 'https') void reply.header('strict-transport-security', HSTS)
  if (reply.hasHeader('content-security-policy')) return
  const type = String(reply.getHeader('content-type') ?? '').toLowerCase()
  void reply.header(
    'content-security-policy',
    type.startsWith('text/html') ? CONSOLE_CSP : DATA_CSP
  )
}

function toRpcRequest(request: FastifyRequest): RpcRequest {
  const rawUrl = request.raw.url ?? '/'
  const queryStart = rawUrl.indexOf('?')
  return {
    method: request.method,
    path: queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart),
    query: queryStart === -1 ? '' : rawUrl.slice(queryStart + 1),
    headers: request.headers,
    body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    contentType: request.headers['content-type'],
    sourceIp: request.ip,
    secure: request.protocol === 'https',
  }
}
