/**
 * What the protocol layer needs of an HTTP request, as plain data: the HTTP layer (Fastify) builds
 * it, so parameters and signatures stay testable without a server.
 */

/** A received RPC request. */
export interface RpcRequest {
  /** As received, e.g. `GET`, `POST`, `post`; signatures use it upper-cased. */
  readonly method: string
  /** Decoded path, `/` for every RPC action. */
  readonly path: string
  /** Raw query string without `?`; `''` when none. */
  readonly query: string
  /** Node's `IncomingMessage.headers` (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** Raw body bytes (empty when none). */
  readonly body: Buffer
  readonly contentType: string | undefined
  readonly sourceIp: string
  /** Received over HTTPS. */
  readonly secure: boolean
}

/** The single value of header `name`; repeated headers are joined with `,` as RFC 9110 §5.3 says. */
export function headerValue(
  request: Pick<RpcRequest, 'headers'>,
  name: string
): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}
