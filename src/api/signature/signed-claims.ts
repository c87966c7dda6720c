/** What a signature scheme extracts from a request before any credential is looked up. */

/** The claims of a signed request and a way to check them against a secret. */
export interface SignedClaims {
  readonly scheme: 'V1' | 'V3'
  readonly accessKeyId: string
  /** Raw `Timestamp` / `x-acs-date`. */
  readonly timestamp: string
  readonly nonce: string
  readonly securityToken: string | undefined
  /** Recomputes the signature with `secret`: undefined when it matches, else the error message. */
  readonly mismatch: (secret: string) => string | undefined
}

/** Longest nonce kept (SDKs send 32 or 64 hex characters; this bounds the nonce store). */
export const MAX_NONCE_LENGTH = 128

/** Start of every SignatureDoesNotMatch message (the catalogue's message). */
export const MISMATCH_PREFIX = 'Specified signature does not match our calculation.'
