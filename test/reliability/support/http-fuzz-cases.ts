/**
 * fast-check arbitraries of raw HTTP requests for the HTTP fuzz run: random and malformed methods,
 * paths, versions, headers (huge, duplicate, invalid bytes), parameters (bad percent escapes,
 * invalid UTF-8, too many), bodies (wrong content-type, chunked, bad lengths, up to and past
 * 1 MiB), content encodings (gzip, deflate, br: really compressed, truncated, or not compressed
 * at all; unknown names), raw-socket garbage, pipelined pairs, and correctly signed requests
 * (sometimes with their body gzipped after signing).
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { buildSignedRequest } from '../../../src/api/signature/sign.ts'
import type { Credentials } from './live-api.ts'

/** A request as bytes, what it is, and which of its requests are HEAD (their answers have no body). */
export interface FuzzCase {
  kind: string
  bytes: Buffer
  heads: Set<number>
}

const MIB = 1024 * 1024
const TOKEN = fc.constantFrom(...'abcxyzAZ09-_.!~*'.split(''))
/** Percent-escape trouble in ASCII: the request line stays parseable, the decoder must refuse. */
const JUNK = fc.constantFrom(
  ...['%', '%zz', '%F', '%FF', '%C3', '%C3%28', '%00', '%E2%82%AC', '%ED%A0%80', '+', '&', '='],
  ...['a', 'Z', '%20', '~']
)
/** Raw bytes a request line must not carry (space, NUL, non-ASCII). */
const RAW = fc.constantFrom(' ', '\u0000', 'é', '\u00ff', '\t')

const method = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('GET', 'POST') },
  {
    weight: 4,
    arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND'),
  },
  { weight: 1, arbitrary: fc.constantFrom('get', 'G\u00c9T', 'M-SEARCH', '', 'GET GET') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) }
)

const path = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('/', '/', '/', '/healthz', '/metrics', '/console/sign-in'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('/%zz', '/%', '/%FF', '/a%00b', '//', '/../../etc/passwd', '*'),
  },
  { weight: 1, arbitrary: fc.constantFrom('http://127.0.0.1/', '/console/', '/?', '/\u00e9') },
  {
    weight: 2,
    arbitrary: fc
      .string({ unit: fc.constantFrom(...'ab/%.?=&#~'), maxLength: 40 })
      .map((p) => `/${p}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 40_000 }).map((n) => `/${'a'.repeat(n)}`) }
)

const paramName = fc.oneof(
  fc.constantFrom('Action', 'Version', 'InstanceId', 'AccessKeyId', 'Signature', 'Timestamp'),
  fc.constantFrom('SignatureNonce', 'SignatureMethod', 'SecurityToken', 'Format', 'PageSize'),
  fc.string({ unit: TOKEN, maxLength: 10 }),
  fc.string({ unit: JUNK, maxLength: 4 })
)
const paramValue = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom(
      'GetRedisAllSession',
      'DescribeRedisInstances',
      '2020-01-16',
      'JSON'
    ),
  },
  { weight: 10, arbitrary: fc.string({ unit: JUNK, maxLength: 12 }) },
  { weight: 10, arbitrary: fc.string({ maxLength: 20 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.string({ unit: RAW, minLength: 1, maxLength: 2 }) }
)
const params = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(paramName, paramValue), { maxLength: 8 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 95, max: 300 })
      .map((n) => Array.from({ length: n }, (_, i): [string, string] => [`P${i}`, 'x'])),
  }
)
/** Half the time the query names a real action and version, so the signature checks run. */
const query = fc.tuple(fc.boolean(), params).map(([named, pairs]) => {
  const all: Array<[string, string]> = named
    ? [['Action', 'GetRedisAllSession'], ['Version', '2020-01-16'], ...pairs]
    : pairs
  return all.map(([k, v]) => `${k}=${v}`).join('&')
})

const headerValue = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: TOKEN, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('a\u0001b', '\u007f', 'x\r\nInjected: 1', 'é€') },
  { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 40_000 }).map((n) => 'v'.repeat(n)) }
)
const headerName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('content-type', 'content-length', 'authorization') },
  { weight: 3, arbitrary: fc.constantFrom('x-acs-action', 'x-acs-version', 'x-acs-date') },
  { weight: 3, arbitrary: fc.constantFrom('x-acs-signature-nonce', 'x-acs-content-sha256') },
  { weight: 3, arbitrary: fc.constantFrom('x-acs-security-token', 'expect', 'accept-encoding') },
  { weight: 3, arbitrary: fc.constantFrom('content-encoding', 'connection', 'upgrade', 'host') },
  { weight: 2, arbitrary: fc.constantFrom('transfer-encoding', 'cookie', 'range') },
  { weight: 3, arbitrary: fc.string({ unit: TOKEN, minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) }
)
const contentType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=latin1',
  'application/json',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
  ';;;'
)
const authorization = fc.oneof(
  fc.constantFrom('ACS3-HMAC-SHA256', 'ACS3-', 'ACS3-HMAC-SM3 Credential=a', 'Bearer x'),
  fc
    .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 }), fc.string({ maxLength: 70 }))
    .map(([c, h, s]) => `ACS3-HMAC-SHA256 Credential=${c},SignedHeaders=${h},Signature=${s}`)
)

const body = fc.oneof(
  { weight: 6, arbitrary: fc.constant(Buffer.alloc(0)) },
  { weight: 4, arbitrary: query.map((q) => Buffer.from(q, 'utf8')) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.constantFrom('{"a":', '{}', '[]', 'null').map((s) => Buffer.from(s)) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(MIB - 1, MIB, MIB + 1, MIB + 4096, Math.floor(1.5 * MIB))
      .map((n) => Buffer.alloc(n, 'a')),
  }
)
/** `Content-Encoding` and what the body really is: compressed, cut short, or sent as is. */
const contentEncoding = fc.record({
  name: fc.constantFrom(
    'gzip',
    'deflate',
    'br',
    'identity',
    'gzip, deflate',
    'GZIP',
    'x-bogus',
    ''
  ),
  form: fc.constantFrom('compressed', 'compressed', 'truncated', 'plain'),
})

/** `body` as `name` would have it (unknown names: as is), or half of that, or not compressed. */
function encodeBody(body: Buffer, name: string, form: string): Buffer {
  if (form === 'plain') return body
  const codec = name.toLowerCase().split(',')[0]?.trim()
  const compressed =
    codec === 'gzip'
      ? gzipSync(body)
      : codec === 'deflate'
        ? deflateSync(body)
        : codec === 'br'
          ? brotliCompressSync(body)
          : body
  return form === 'truncated'
    ? compressed.subarray(0, Math.floor(compressed.length / 2))
    : compressed
}

const framing = fc.constantFrom('length', 'length', 'length', 'none', 'short', 'long', 'chunked')
const version = fc.oneof(
  { weight: 10, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 2, arbitrary: fc.constant('HTTP/1.0') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP/2.0', 'HTTP/9.9', 'HTTX/1.1', '') }
)

/** A request built from random parts. */
const built = fc
  .record({
    method,
    path,
    query,
    version,
    host: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'none', 'twice', 'junk'),
    contentType: fc.option(contentType),
    authorization: fc.option(authorization, { freq: 4 }),
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }),
    body,
    contentEncoding: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: contentEncoding }
    ),
    framing,
    encoding: fc.constantFrom<BufferEncoding>('latin1', 'utf8'),
  })
  .map((r): FuzzCase => {
    const lines = [`${r.method} ${r.path}${r.query === '' ? '' : `?${r.query}`} ${r.version}`]
    if (r.host !== 'none') lines.push(`Host: ${r.host === 'junk' ? '\u0001::' : '127.0.0.1'}`)
    if (r.host === 'twice') lines.push('Host: other.example')
    if (r.contentType !== null) lines.push(`Content-Type: ${r.contentType}`)
    if (r.authorization !== null) lines.push(`Authorization: ${r.authorization}`)
    for (const [name, value] of r.headers) lines.push(`${name}: ${value}`)
    let body: Buffer = r.body
    if (r.contentEncoding !== null) {
      lines.push(`Content-Encoding: ${r.contentEncoding.name}`)
      body = encodeBody(r.body, r.contentEncoding.name, r.contentEncoding.form)
    }
    let payload: Buffer = body
    const size = body.length
    if (r.framing === 'length') lines.push(`Content-Length: ${size}`)
    if (r.framing === 'short') lines.push(`Content-Length: ${Math.max(0, size - 3)}`)
    if (r.framing === 'long') lines.push(`Content-Length: ${size + 10}`)
    if (r.framing === 'chunked') {
      lines.push('Transfer-Encoding: chunked')
      const hex = size.toString(16)
      payload = Buffer.concat([Buffer.from(`${hex}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')])
      if (size % 3 === 1) payload = Buffer.from('zz\r\nabc\r\n') // invalid chunk size
    }
    const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, r.encoding)
    return {
      kind: `built:${r.method.slice(0, 8)}${r.contentEncoding === null ? '' : '+encoded'}`,
      bytes: Buffer.concat([head, payload]),
      heads: new Set(r.method === 'HEAD' ? [0] : []),
    }
  })

/** Bytes that are not HTTP at all, or barely. */
const garbage = fc
  .oneof(
    fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
    fc.constantFrom(
      Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), // TLS hello
      Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
      Buffer.from('\r\n\r\n\r\n'),
      Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'), // never finished
      Buffer.from(
        'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcde'
      ),
      Buffer.from(
        'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
      ),
      Buffer.from('\u0000'.repeat(64))
    )
  )
  .map((bytes): FuzzCase => ({ kind: 'garbage', bytes, heads: new Set() }))

/** Correctly signed calls (V1 and V3, GET and POST): 200, or a documented error such as 404. */
function signed(port: number, credentials: Credentials) {
  return fc
    .record({
      scheme: fc.constantFrom<'V1' | 'V3'>('V1', 'V3'),
      method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
      call: fc.constantFrom(
        { action: 'DescribeRedisInstances', params: {} },
        { action: 'GetRedisAllSession', params: { InstanceId: 'r-fuzz-none' } },
        { action: 'ListUsers', params: {} }
      ),
      gzipped: fc.constantFrom(false, false, false, true),
    })
    .map(({ scheme, method: verb, call, gzipped }): FuzzCase => {
      const request = buildSignedRequest({
        endpoint: `http://127.0.0.1:${port}`,
        scheme,
        method: verb,
        action: call.action,
        params: call.params,
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
      })
      const target = request.query === '' ? '/' : `/?${request.query}`
      const headers = Object.entries({ host: `127.0.0.1:${port}`, ...request.headers })
      // Compressed after signing, as a proxy or client library might: the signed bytes change.
      const sent = gzipped ? gzipSync(request.body) : request.body
      if (gzipped) headers.push(['content-encoding', 'gzip'])
      headers.push(['content-length', String(sent.length)])
      const head = [
        `${request.method} ${target} HTTP/1.1`,
        ...headers.map(([k, v]) => `${k}: ${v}`),
      ]
      const bytes = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), sent])
      const kind = `signed${gzipped ? '+gzip' : ''}:${call.action}`
      return { kind, bytes, heads: new Set() }
    })
}

/** Every kind of input, weighted; two built requests are sometimes pipelined on one socket. */
export function fuzzCases(port: number, credentials: Credentials): fc.Arbitrary<FuzzCase> {
  const pipelined = fc.tuple(built, built).map(([a, b]): FuzzCase => ({
    kind: 'pipelined',
    bytes: Buffer.concat([a.bytes, b.bytes]),
    heads: new Set([...(a.heads.has(0) ? [0] : []), ...(b.heads.has(0) ? [1] : [])]),
  }))
  return fc.oneof(
    { weight: 14, arbitrary: built },
    { weight: 3, arbitrary: garbage },
    { weight: 2, arbitrary: pipelined },
    { weight: 2, arbitrary: signed(port, credentials) }
  )
}
