/**
 * Signed RPC calls from the browser: every call is a V3 (`ACS3-HMAC-SHA256`) POST to `/` with
 * the business parameters in a form body, signed with the console's temporary credentials, so
 * the server authorizes it exactly as it would an SDK call.
 */
import { formatAcsDate, percentEncode, randomNonce, sha256Hex, signV3 } from './sign-v3.ts'

/** API version of every action (DAS 2020-01-16). */
export const API_VERSION = '2020-01-16'

/** Temporary credentials from `POST /console/sign-in`. */
export interface Credentials {
  UserName: string
  AccessKeyId: string
  AccessKeySecret: string
  SecurityToken: string
  /** ISO 8601 UTC. */
  Expiration: string
}

/** An error answer of the server (or of the network, with `code` `NetworkError`). */
export class RpcError extends Error {
  readonly code: string
  readonly status: number
  readonly requestId: string
  readonly detail: string
  /** `AccessDeniedDetail.AuthAction` of a `NoPermission` answer, e.g. `hdm:KillRedisSessions`. */
  readonly authAction: string
  constructor(code: string, message: string, fields: Partial<RpcError> = {}) {
    super(message)
    this.name = 'RpcError'
    this.code = code
    this.status = fields.status ?? 0
    this.requestId = fields.requestId ?? ''
    this.detail = fields.detail ?? ''
    this.authAction = fields.authAction ?? ''
  }

  /** One line for people: code, message, detail. */
  describe(): string {
    const detail = this.detail === '' ? '' : ` (${this.detail})`
    return `${this.code}: ${this.message}${detail}`
  }
}

/** Codes meaning the console credentials no longer work: sign in again. */
const SIGNED_OUT_CODES = new Set([
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'InvalidSecurityToken.Expired',
  'InvalidSecurityToken.Malformed',
  'InvalidSecurityToken.MismatchWithAccessKey',
])

/** True when `error` says the credentials were revoked or expired. */
export function isSignedOutError(error: unknown): boolean {
  return error instanceof RpcError && SIGNED_OUT_CODES.has(error.code)
}

/**
 * Calls one action; resolves with its `Data` (or, with `envelope`, the whole answer, for
 * top-level extensions such as KillInstanceAllSession's `Killed`); rejects with {@link RpcError}.
 */
export type RpcCall = <T>(
  action: string,
  params?: Readonly<Record<string, string>>,
  envelope?: boolean
) => Promise<T>

/** Options of {@link createRpc}. */
export interface RpcOptions {
  credentials: Credentials
  /** Server clock minus browser clock, ms (from the sign-in answer's `Date`). */
  clockSkewMs: number
  /** Told when an answer says the credentials are gone (revoked, expired). */
  onSignedOut: (error: RpcError) => void
}

/** Builds the signed caller for one set of credentials. */
export function createRpc(options: RpcOptions): RpcCall {
  const { credentials } = options
  return async <T>(
    action: string,
    params: Readonly<Record<string, string>> = {},
    envelope = false
  ) => {
    const body = Object.entries(params)
      .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
      .join('&')
    const headers: Record<string, string> = {
      host: location.host,
      'content-type': 'application/x-www-form-urlencoded',
      'x-acs-action': action,
      'x-acs-version': API_VERSION,
      'x-acs-date': formatAcsDate(new Date(Date.now() + options.clockSkewMs)),
      'x-acs-signature-nonce': randomNonce(),
      'x-acs-content-sha256': await sha256Hex(body),
      'x-acs-accesskey-id': credentials.AccessKeyId,
      'x-acs-security-token': credentials.SecurityToken,
    }
    const signed = await signV3(
      { method: 'POST', path: '/', query: {}, headers, body },
      credentials.AccessKeyId,
      credentials.AccessKeySecret
    )
    // The browser sets Host itself (a forbidden header); it is signed with the same value.
    const { host: _host, ...sent } = headers
    let response: Response
    try {
      response = await fetch('/', {
        method: 'POST',
        headers: { ...sent, authorization: signed.authorization, accept: 'application/json' },
        body,
        credentials: 'omit',
        cache: 'no-store',
      })
    } catch (error) {
      throw new RpcError('NetworkError', error instanceof Error ? error.message : String(error))
    }
    const parsed = await readJson(response)
    if (response.ok && parsed['Success'] !== false) return (envelope ? parsed : parsed['Data']) as T
    const failure = errorOf(response.status, parsed)
    if (SIGNED_OUT_CODES.has(failure.code)) options.onSignedOut(failure)
    throw failure
  }
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text()
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>
  } catch {
    // fall through: every answer of the server is JSON, so this is a proxy or a crash
  }
  throw new RpcError('InvalidResponse', `HTTP ${response.status}: not a JSON answer`, {
    status: response.status,
    detail: text.slice(0, 200),
  })
}

function errorOf(status: number, body: Record<string, unknown>): RpcError {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const denied = body['AccessDeniedDetail']
  const authAction =
    typeof denied === 'object' && denied !== null
      ? text((denied as Record<string, unknown>)['AuthAction'])
      : ''
  return new RpcError(text(body['Code']) || `HTTP${status}`, text(body['Message']), {
    status,
    requestId: text(body['RequestId']),
    detail: text(body['Detail']),
    authAction,
  })
}
