/**
 * Test helpers: a {@link SignedRequest} seen from the server side, a raw HTTP capture
 * (protocol.md §6) turned into an {@link RpcRequest}, and fixtures that count calls. Used by the
 * signature tests (and usable by API tests).
 */
import { decodeParams } from '../protocol/params.ts'
import type { RpcRequest } from '../protocol/rpc-request.ts'
import type { CredentialRecord, LookupCredential, VerifiedCaller } from './credential.ts'
import { createMemoryNonceStore, type NonceStore } from './nonce-store.ts'
import type { SignedRequest } from './sign.ts'
import { verifySignature } from './verify-signature.ts'

/** What the HTTP layer would build from `signed`. */
export function toRpcRequest(
  signed: SignedRequest,
  overrides: Partial<RpcRequest> = {}
): RpcRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value
  if (headers['host'] === undefined) headers['host'] = new URL(signed.url).host
  return {
    method: signed.method,
    path: '/',
    query: signed.query,
    headers,
    body: signed.body,
    contentType: headers['content-type'],
    sourceIp: '127.0.0.1',
    secure: false,
    ...overrides,
  }
}

/**
 * Parses a captured HTTP/1.1 request (request line, headers, blank line, body) as Node's
 * `http` module would present it: lower-case header names, path and query split.
 */
export function parseCapture(text: string): RpcRequest {
  const [head = '', body = ''] = text.split(/\r?\n\r?\n/, 2)
  const [requestLine = '', ...headerLines] = head.split(/\r?\n/)
  const [method = '', target = ''] = requestLine.split(' ')
  const question = target.indexOf('?')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return {
    method,
    path: question === -1 ? target : target.slice(0, question),
    query: question === -1 ? '' : target.slice(question + 1),
    headers,
    body: Buffer.from(body.replace(/\r?\n+$/, ''), 'utf8'),
    contentType: headers['content-type'],
    sourceIp: '127.0.0.1',
    secure: false,
  }
}

/** The clock of the verification tests. */
export const TEST_NOW = new Date('2024-01-01T00:00:00Z')

/** A lookup over fixed records that counts its calls. */
export function fixedLookup(records: readonly CredentialRecord[]): LookupCredential & {
  calls: number
} {
  const lookup = Object.assign(
    (id: string) => {
      lookup.calls++
      return Promise.resolve(records.find((record) => record.accessKeyId === id))
    },
    { calls: 0 }
  )
  return lookup
}

/** A nonce store on the test clock that counts its claims. */
export function countingNonceStore(now = TEST_NOW): NonceStore & { claims: number } {
  const inner = createMemoryNonceStore({ now: () => now.getTime() })
  const store = {
    claims: 0,
    claim(accessKeyId: string, nonce: string, expiresAt: Date) {
      store.claims++
      return inner.claim(accessKeyId, nonce, expiresAt)
    },
  }
  return store
}

/** Verifies `req` (parameters decoded from it) at `now`. */
export function verifyAt(
  req: RpcRequest,
  lookup: LookupCredential,
  nonces: NonceStore = countingNonceStore(),
  now: Date = TEST_NOW
): Promise<VerifiedCaller> {
  return verifySignature(req, decodeParams(req), lookup, now, nonces)
}
