/** V1 claims: common parameters checked and the signature recomputed (protocol.md §1, §2). */
import { ApiError } from '../errors/api-error.ts'
import { computeSignatureV1, stringToSignV1 } from './canonicalize-v1.ts'
import { safeEqual } from './safe-equal.ts'
import { MAX_NONCE_LENGTH, MISMATCH_PREFIX, type SignedClaims } from './signed-claims.ts'

// Action and Version are required here because V1 signs only parameters: taking them from the
// unsigned x-acs-* headers would let anyone re-target a signed request (see resolveAction).
const REQUIRED = [
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
  'Action',
  'Version',
] as const

/** Reads the V1 claims of a request whose parameters carry `Signature`. */
export function readClaimsV1(method: string, params: ReadonlyMap<string, string>): SignedClaims {
  const values = new Map<(typeof REQUIRED)[number], string>()
  for (const name of REQUIRED) {
    const value = params.get(name)
    if (value === undefined || value === '') throw new ApiError('MissingParameter', { name })
    values.set(name, value)
  }
  const get = (name: (typeof REQUIRED)[number]): string => values.get(name) ?? ''
  if (get('SignatureMethod') !== 'HMAC-SHA1') {
    throw new ApiError('InvalidSignatureMethod', { detail: 'V1 requests must use HMAC-SHA1' })
  }
  if (get('SignatureVersion') !== '1.0') {
    throw new ApiError('IncompleteSignature', { detail: 'SignatureVersion must be 1.0' })
  }
  const nonce = get('SignatureNonce')
  if (nonce.length > MAX_NONCE_LENGTH) {
    throw new ApiError('InvalidParameter.Format', {
      detail: `SignatureNonce is longer than ${MAX_NONCE_LENGTH} characters`,
    })
  }
  const signature = get('Signature')
  return {
    scheme: 'V1',
    accessKeyId: get('AccessKeyId'),
    timestamp: get('Timestamp'),
    nonce,
    securityToken: params.get('SecurityToken'),
    mismatch(secret) {
      const stringToSign = stringToSignV1(method, params)
      if (safeEqual(signature, computeSignatureV1(stringToSign, secret))) return undefined
      return `${MISMATCH_PREFIX} server string to sign is:${stringToSign}`
    },
  }
}
