/**
 * Authenticates an RPC request (protocol.md §1-§3, §9, §10). Checks run in the order of
 * protocol.md §9 so that the cheapest, least revealing errors come first: shape → time stamp →
 * AccessKey → SecurityToken → signature → nonce.
 */
import { ApiError } from '../errors/api-error.ts'
import { headerValue, type RpcRequest } from '../protocol/rpc-request.ts'
import { readClaimsV1 } from './claims-v1.ts'
import { readClaimsV3 } from './claims-v3.ts'
import type { CredentialRecord, LookupCredential, VerifiedCaller } from './credential.ts'
import type { NonceStore } from './nonce-store.ts'
import { isV3Authorization } from './parse-authorization.ts'
import { safeEqualHex } from './safe-equal.ts'
import { sha256Hex } from './canonicalize-v3.ts'
import type { SignedClaims } from './signed-claims.ts'
import { checkTimestampWindow, parseTimestamp, SIGNATURE_WINDOW_MS } from './timestamp.ts'

/** Longest SecurityToken accepted (ours are short; Alibaba STS tokens are ~1-2 KB). */
export const MAX_SECURITY_TOKEN_LENGTH = 8192

/**
 * Verifies the signature of `req` and returns who signed it, or throws an `ApiError`.
 * `params` are the request's decoded parameters ({@link decodeParams}). Scheme: an
 * `Authorization: ACS3-…` header is V3, else a `Signature` parameter is V1, else
 * `IncompleteSignature`. The nonce is claimed last, so requests with a bad signature cannot burn
 * the nonces of genuine ones.
 */
export async function verifySignature(
  req: RpcRequest,
  params: ReadonlyMap<string, string>,
  lookupCredential: LookupCredential,
  now: Date,
  nonces: NonceStore
): Promise<VerifiedCaller> {
  const claims = readClaims(req, params)
  const time = parseTimestamp(claims.timestamp)
  checkTimestampWindow(time, now)
  const credential = await lookupCredential(claims.accessKeyId)
  if (credential === undefined) {
    throw new ApiError('InvalidAccessKeyId.NotFound', { detail: claims.accessKeyId })
  }
  if (credential.status !== 'Active') throw new ApiError('InvalidAccessKeyId.Inactive')
  const temporary = checkSecurityToken(credential, claims.securityToken, now)
  const mismatch = claims.mismatch(credential.secret)
  if (mismatch !== undefined) throw new ApiError('SignatureDoesNotMatch', { message: mismatch })
  const fresh = await nonces.claim(
    claims.accessKeyId,
    claims.nonce,
    new Date(time.getTime() + SIGNATURE_WINDOW_MS)
  )
  if (!fresh) throw new ApiError('SignatureNonceUsed')
  return {
    accessKeyId: claims.accessKeyId,
    userName: credential.userName,
    scheme: claims.scheme,
    temporary,
    mfaPresent: credential.mfaPresent ?? false,
  }
}

function readClaims(req: RpcRequest, params: ReadonlyMap<string, string>): SignedClaims {
  const authorization = headerValue(req, 'authorization')
  if (isV3Authorization(authorization)) return readClaimsV3(req, authorization)
  if (params.has('Signature')) return readClaimsV1(req.method, params)
  throw new ApiError('IncompleteSignature', {
    detail: 'sign the request: an ACS3-HMAC-SHA256 Authorization header or a Signature parameter',
  })
}

/**
 * Temporary credentials need their SecurityToken (stored as a SHA-256 hash); a token sent with a
 * permanent key is refused rather than ignored, so a misconfigured client learns about it.
 * Returns whether the credential is temporary.
 */
function checkSecurityToken(
  credential: CredentialRecord,
  given: string | undefined,
  now: Date
): boolean {
  const token = given === '' ? undefined : given
  const expired = credential.expiresAt !== undefined && credential.expiresAt <= now
  if (credential.securityTokenSha256 === undefined) {
    if (token !== undefined) {
      throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey', {
        detail: 'this AccessKey is permanent and takes no SecurityToken',
      })
    }
    // A permanent key past its end of validity is as good as deleted.
    if (expired)
      throw new ApiError('InvalidAccessKeyId.NotFound', { detail: credential.accessKeyId })
    return false
  }
  if (token === undefined) throw new ApiError('MissingParameter', { name: 'SecurityToken' })
  if (token.length > MAX_SECURITY_TOKEN_LENGTH) throw new ApiError('InvalidSecurityToken.Malformed')
  if (!safeEqualHex(sha256Hex(token), credential.securityTokenSha256)) {
    throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey')
  }
  // Checked after the token matched, so only its holder learns that it has expired.
  if (expired) throw new ApiError('InvalidSecurityToken.Expired')
  return true
}
