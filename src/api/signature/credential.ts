/** What signature verification needs to know about an AccessKey, and what it proves. */

/** An AccessKey as the store hands it to the verifier. */
export interface CredentialRecord {
  readonly accessKeyId: string
  /** The AccessKeySecret in clear: HMAC verification needs it. */
  readonly secret: string
  readonly status: 'Active' | 'Inactive'
  readonly userName: string
  /**
   * hex SHA-256 of the SecurityToken. Present exactly for temporary credentials (console
   * sign-in); the store keeps only the hash, so a leaked table cannot be replayed as tokens.
   */
  readonly securityTokenSha256?: string
  /** End of validity; temporary credentials always have one. */
  readonly expiresAt?: Date
  /** The credentials were issued after a multi-factor sign-in (`acs:MFAPresent`). */
  readonly mfaPresent?: boolean
}

/** Looks an AccessKey up; `undefined` when there is none. */
export type LookupCredential = (accessKeyId: string) => Promise<CredentialRecord | undefined>

/** The caller a verified signature proves. */
export interface VerifiedCaller {
  readonly accessKeyId: string
  readonly userName: string
  readonly scheme: 'V1' | 'V3'
  /** Signed with temporary credentials (a SecurityToken). */
  readonly temporary: boolean
  readonly mfaPresent: boolean
}
