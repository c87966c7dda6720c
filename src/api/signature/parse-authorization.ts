/**
 * Parses the V3 `Authorization` header (protocol.md §3):
 * `ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b;c>,Signature=<hex>`.
 */
import { ApiError } from '../errors/api-error.ts'
import { V3_ALGORITHM } from './canonicalize-v3.ts'

/** The parts of a V3 Authorization header. */
export interface ParsedAuthorization {
  readonly accessKeyId: string
  /** Lower-case header names, in the client's order. */
  readonly signedHeaders: readonly string[]
  readonly signature: string
}

/** True when `authorization` selects the V3 scheme (protocol.md §1 dispatch). */
export function isV3Authorization(authorization: string | undefined): authorization is string {
  return authorization?.trimStart().startsWith('ACS3-') ?? false
}

const HEADER_NAME = /^[a-z0-9-]+$/

/**
 * Parses the header. A structural fault is `IncompleteSignature`; another ACS3 algorithm (SM3,
 * RSA) is `InvalidSignatureMethod`.
 */
export function parseAuthorization(authorization: string): ParsedAuthorization {
  const trimmed = authorization.trim()
  const space = trimmed.indexOf(' ')
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space)
  if (algorithm !== V3_ALGORITHM) {
    throw new ApiError('InvalidSignatureMethod', { detail: `only ${V3_ALGORITHM} is supported` })
  }
  if (space === -1) throw incomplete('Authorization has no Credential')
  const fields = new Map<string, string>()
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=')
    const name = part.slice(0, eq).trim()
    if (eq === -1 || fields.has(name)) throw incomplete(`malformed Authorization field "${part}"`)
    fields.set(name, part.slice(eq + 1).trim())
  }
  const accessKeyId = fields.get('Credential')
  const signedHeaders = fields.get('SignedHeaders')?.split(';')
  const signature = fields.get('Signature')
  if (!accessKeyId || signedHeaders === undefined || !signature) {
    throw incomplete('Authorization needs Credential, SignedHeaders and Signature')
  }
  if (signedHeaders.some((name) => !HEADER_NAME.test(name))) {
    throw incomplete('SignedHeaders must list lower-case header names separated by ";"')
  }
  if (new Set(signedHeaders).size !== signedHeaders.length) {
    throw incomplete('SignedHeaders lists a header twice')
  }
  return { accessKeyId, signedHeaders, signature }
}

function incomplete(detail: string): ApiError {
  return new ApiError('IncompleteSignature', { detail })
}
