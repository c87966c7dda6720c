/**
 * Answers for requests that never reach a route: bytes Node's HTTP parser refuses (Fastify's
 * `clientErrorHandler`) and URLs its router cannot decode (`frameworkErrors`). Both get the same
 * JSON error body as every other error (protocol.md §8, docs/errors.md), not Fastify's own
 * `{"error":"Bad Request",…}`, which the SDKs cannot read.
 */
import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { ApiError } from './errors/api-error.ts'
import { errorBody } from './errors/error-body.ts'
import { toApiError } from './rpc/to-api-error.ts'

/** The host named in error bodies written before any header could be read. */
const UNKNOWN_HOST = 'redis-sessions'

/**
 * `clientErrorHandler`: a malformed request (bad method or header bytes, a duplicate
 * Content-Length, bad chunking, headers over Node's 16 KiB, TLS or HTTP/2 bytes on the plain
 * port) gets `InvalidParameter.Format` naming the parser's code, then the socket is closed: the
 * stream cannot be trusted to find the next request. A request whose headers or body did not
 * arrive in time (slowloris) gets the bare `408` Node sends: there is no request to answer.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  if (!socket.writable) {
    socket.destroy()
    return
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    return
  }
  const detail =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'the request headers are too large'
      : `malformed HTTP request (${error.code ?? 'unknown'})`
  const apiError = new ApiError('InvalidParameter.Format', { detail })
  const requestId = randomUUID().toUpperCase()
  const body = JSON.stringify(errorBody(apiError, requestId, UNKNOWN_HOST))
  socket.end(
    `HTTP/1.1 ${apiError.httpStatus} Bad Request\r\n` +
      'Content-Type: application/json;charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `x-acs-request-id: ${requestId}\r\n` +
      'x-content-type-options: nosniff\r\n' +
      'Connection: close\r\n\r\n' +
      body
  )
}

/** `frameworkErrors`: a path with a malformed `%` escape and the like, as coded API errors. */
export function frameworkApiError(error: Error & { code?: string }): ApiError {
  if (error.code === 'FST_ERR_BAD_URL') {
    return new ApiError('InvalidParameter.Format', { detail: 'the path is not valid' })
  }
  return toApiError(error)
}

/**
 * An `Expect` other than `100-continue` is ignored (RFC 9110 §10.1.1 allows it) and the request
 * handled as any other, instead of Node's bodiless `417`: the JSON answer then says what is wrong.
 */
export function ignoreUnknownExpectations(server: Server): void {
  server.on('checkExpectation', (request, response) => {
    server.emit('request', request, response)
  })
}
