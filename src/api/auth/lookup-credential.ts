import type { Store } from '../../store/store.ts'
import type { CredentialRecord, LookupCredential } from '../signature/credential.ts'

/** Temporary (console) credentials have ids starting with this prefix, as Alibaba STS does. */
export const TEMPORARY_KEY_PREFIX = 'STS.'

/**
 * AccessKeyId → what signature verification needs, from the store: long-lived keys, or
 * temporary console credentials (revoked ones are reported as unknown, like an expired
 * STS key at Alibaba: `InvalidAccessKeyId.NotFound`).
 */
export function lookupCredentialIn(store: Store): LookupCredential {
  return async (accessKeyId) => {
    if (accessKeyId.startsWith(TEMPORARY_KEY_PREFIX)) {
      const temporary = await store.tempCredentials.getForVerification(accessKeyId)
      if (temporary === undefined || temporary.revoked) return undefined
      const record: CredentialRecord = {
        accessKeyId,
        secret: temporary.secret,
        status: 'Active',
        userName: temporary.userName,
        securityTokenSha256: temporary.securityTokenSha256,
        expiresAt: new Date(temporary.expiresAt),
      }
      return record
    }
    const key = await store.accessKeys.getForVerification(accessKeyId)
    return key === undefined ? undefined : { ...key }
  }
}
