/** V3 claims: signed headers checked and the canonical request rebuilt (protocol.md §3). */
import { ApiError } from '../errors/api-error.ts'
import { decodeQuery } from '../protocol/form-decode.ts'
import { headerValue, type RpcRequest } from '../protocol/rpc-request.ts'
import { canonicalizeV3, computeSignatureV3, sha256Hex } from './canonicalize-v3.ts'
import { parseAuthorization } from './parse-authorization.ts'
import { safeEqual, safeEqualHex } from './safe-equal.ts'
import { MAX_NONCE_LENGTH, MISMATCH_PREFIX, type SignedClaims } from './signed-claims.ts'

/**
 * Headers that must be present and signed. The nonce is optional in Alibaba's doc but every SDK
 * sends it, and without one a captured request could be replayed for 15 minutes: we require it.
 */
const REQUIRED_SIGNED = [
  'host',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-content-sha256',
  'x-acs-signature-nonce',
] as const

/** Doc: every `host`, `content-type` and `x-acs-*` header present must be signed. */
function mustBeSigned(name: string): boolean {
  return name === 'host' || name === 'content-type' || name.startsWith('x-acs-')
}

/** Reads the V3 claims of a request whose `authorization` header starts with `ACS3-`. */
export function readClaimsV3(req: RpcRequest, authorization: string): SignedClaims {
  const auth = parseAuthorization(authorization)
  const signed = new Set(auth.signedHeaders)
  const value = (name: string): string => headerValue(req, name)?.trim() ?? ''
  for (const name of REQUIRED_SIGNED) {
    if (value(name) === '') throw incomplete(`header ${name} is required`)
  }
  for (const [name, raw] of Object.entries(req.headers)) {
    if (raw !== undefined && mustBeSigned(name) && !signed.has(name)) {
      throw incomplete(`header ${name} must be listed in SignedHeaders`)
    }
  }
  for (const name of auth.signedHeaders) {
    if (req.headers[name] === undefined) throw incomplete(`signed header ${name} is absent`)
  }
  const keyHeader = headerValue(req, 'x-acs-accesskey-id')
  if (keyHeader !== undefined && keyHeader.trim() !== auth.accessKeyId) {
    throw incomplete('x-acs-accesskey-id differs from the Credential of Authorization')
  }
  const payloadSha256 = value('x-acs-content-sha256')
  if (!safeEqualHex(payloadSha256, sha256Hex(req.body))) {
    throw new ApiError('InvalidContentSha256.Mismatch', {
      detail: 'x-acs-content-sha256 must be the hex SHA-256 of the request body',
    })
  }
  const nonce = value('x-acs-signature-nonce')
  if (nonce.length > MAX_NONCE_LENGTH) {
    throw new ApiError('InvalidParameter.Format', {
      detail: `x-acs-signature-nonce is longer than ${MAX_NONCE_LENGTH} characters`,
    })
  }
  const query = decodeQuery(req.query)
  return {
    scheme: 'V3',
    accessKeyId: auth.accessKeyId,
    timestamp: value('x-acs-date'),
    nonce,
    securityToken: headerValue(req, 'x-acs-security-token')?.trim(),
    mismatch(secret) {
      const { canonicalRequest, stringToSign } = canonicalizeV3({
        method: req.method,
        path: req.path,
        query,
        signedHeaders: auth.signedHeaders,
        header: (name) => req.headers[name],
        payloadSha256,
      })
      if (safeEqual(auth.signature, computeSignatureV3(stringToSign, secret))) return undefined
      // Real gateways quote both, which is what a client needs to find its canonicalisation bug.
      return `${MISMATCH_PREFIX} server StringToSign is [${stringToSign}] server CanonicalRequest is [${canonicalRequest}]`
    },
  }
}

function incomplete(detail: string): ApiError {
  return new ApiError('IncompleteSignature', { detail })
}
