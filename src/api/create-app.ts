import { randomUUID } from 'node:crypto'
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import type { AnyAction } from './actions/action.ts'
import { ApiError } from './errors/api-error.ts'
import { errorBody } from './errors/error-body.ts'
import { registerSignInRoute } from './console/sign-in-route.ts'
import { registerConsoleStatic } from './console/static-console.ts'
import type { RpcRequest } from './protocol/rpc-request.ts'
import { handleRpc } from './rpc/handle-rpc.ts'
import { toApiError } from './rpc/to-api-error.ts'
import type { Services } from './services.ts'

/** Largest request body, bytes: RPC parameters are small; a kill list of 10k sessions fits. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024

export interface AppOptions {
  services: Services
  actions: ReadonlyMap<string, AnyAction>
  bodyLimitBytes?: number
  https?: { cert: Buffer; key: Buffer } | undefined
}

const JSON_TYPE = 'application/json;charset=utf-8'

/**
 * The HTTP application: `/` speaks the Alibaba RPC protocol (GET and POST), `/healthz`
 * checks the store. Every answer is JSON with a `RequestId` and `x-acs-request-id`
 * (protocol.md §8, §11). Never calls `listen()`.
 */
export function createApp(options: AppOptions): FastifyInstance {
  const { services, actions } = options
  const loggerInstance: FastifyBaseLogger = services.logger
  const app = Fastify({
    loggerInstance,
    // Our own access log line: Fastify's would print the URL, whose query can hold a SecurityToken.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // SDKs keep sockets alive; the server must not close them first (protocol.md §1).
    keepAliveTimeout: 30_000,
    requestTimeout: 60_000,
    connectionTimeout: 60_000,
    genReqId: () => randomUUID().toUpperCase(),
    return503OnClosing: true,
    ...(options.https === undefined ? {} : { https: options.https }),
  })

  // Keep every body raw: signatures are verified over the bytes received.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-acs-request-id', request.id)
    return payload
  })

  app.route({
    method: ['GET', 'POST'],
    url: '/',
    handler: async (request, reply) => {
      const started = performance.now()
      const response = await handleRpc(toRpcRequest(request), request.id, services, actions)
      request.log.info(
        { status: response.status, ms: Math.round(performance.now() - started) },
        'rpc'
      )
      return reply
        .code(response.status)
        .headers(response.headers)
        .type(JSON_TYPE)
        .send(response.body)
    },
  })

  app.get('/healthz', async (_request, reply) => {
    await services.store.ping()
    return reply.type(JSON_TYPE).send('{"Status":"ok"}')
  })

  registerSignInRoute(app, services)
  registerConsoleStatic(app)

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?', 1)[0]
    const code = path === '/' ? 'UnsupportedHTTPMethod' : 'InvalidApi.NotFound'
    return sendError(request, reply, new ApiError(code, { detail: `${request.method} ${path}` }))
  })

  app.setErrorHandler(async (error, request, reply) => {
    const apiError = toApiError(error)
    if (apiError.catalogCode === 'InternalError') request.log.error({ err: error }, 'unexpected')
    return sendError(request, reply, apiError)
  })

  return app
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  const host = request.headers.host ?? 'redis-sessions'
  return reply
    .code(error.httpStatus)
    .headers({ ...error.headers })
    .type(JSON_TYPE)
    .send(JSON.stringify(errorBody(error, request.id, host)))
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
