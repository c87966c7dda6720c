/**
 * Replay protection (protocol.md §10): a signature nonce may be used once per AccessKeyId for as
 * long as its time stamp would be accepted. A PostgreSQL-backed store (several replicas) comes
 * later behind the same interface.
 */
import { createHash } from 'node:crypto'
import { ApiError } from '../errors/api-error.ts'
import { SIGNATURE_WINDOW_MS } from './timestamp.ts'

/** Remembers used nonces. */
export interface NonceStore {
  /**
   * Records `nonce` for `accessKeyId` until `expiresAt`. False when it is already recorded and
   * not yet expired (a replay). May throw an `ApiError` (e.g. `Throttling`) when it cannot record.
   */
  claim(accessKeyId: string, nonce: string, expiresAt: Date): Promise<boolean>
}

/** Options of {@link createMemoryNonceStore}. */
export interface MemoryNonceStoreOptions {
  /** Most nonces held at once (default 200,000, roughly 30-60 MB). */
  readonly maxEntries?: number
  /** Expiry granularity: nonces are dropped at most this late (default 10 s). */
  readonly bucketMs?: number
  /** Clock, for tests (default `Date.now`). */
  readonly now?: () => number
}

/** Default capacity: a 15-minute window at ~200 signed requests per second. */
export const DEFAULT_MAX_NONCES = 200_000

/**
 * An in-process store for a single server. Entries are grouped in buckets by expiry time, so
 * expired ones are dropped a whole bucket at a time without scanning the rest.
 *
 * When it is full of unexpired nonces it refuses the request with `Throttling` (and
 * `x-acs-retry-after`) instead of forgetting one: a forgotten nonce would make its request
 * replayable, while a refusal only asks the caller to retry. Only signature-verified requests
 * reach the store, so only holders of valid credentials can fill it.
 */
export function createMemoryNonceStore(options: MemoryNonceStoreOptions = {}): NonceStore {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_NONCES
  const bucketMs = options.bucketMs ?? 10_000
  const now = options.now ?? Date.now
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`)
  }
  if (!Number.isInteger(bucketMs) || bucketMs < 1 || bucketMs > SIGNATURE_WINDOW_MS) {
    throw new RangeError(
      `bucketMs must be an integer in 1..${SIGNATURE_WINDOW_MS}, got ${bucketMs}`
    )
  }
  /** key → expiry (ms). */
  const expiries = new Map<string, number>()
  /** bucket number → keys; every key in bucket b expires at or before b * bucketMs. */
  const buckets = new Map<number, string[]>()

  function evictExpired(at: number): void {
    for (const [bucket, keys] of buckets) {
      if (bucket * bucketMs > at) continue
      for (const key of keys) {
        // A key claimed again after expiring sits in a later bucket too; keep that one.
        const expiry = expiries.get(key)
        if (expiry !== undefined && expiry <= at) expiries.delete(key)
      }
      buckets.delete(bucket)
    }
  }

  function retryAfterSeconds(at: number): number {
    const earliest = Math.min(...buckets.keys()) * bucketMs
    return Math.max(1, Math.ceil((earliest - at) / 1000))
  }

  return {
    claim(accessKeyId, nonce, expiresAt) {
      const at = now()
      const expiry = expiresAt.getTime()
      const key = nonceKey(accessKeyId, nonce)
      const known = expiries.get(key)
      if (known !== undefined && known > at) return Promise.resolve(false)
      // Already outside its window: the time stamp check refuses any replay, nothing to keep.
      if (expiry <= at) return Promise.resolve(true)
      if (expiries.size >= maxEntries) evictExpired(at)
      if (expiries.size >= maxEntries && known === undefined) {
        const retryAfter = retryAfterSeconds(at)
        return Promise.reject(
          new ApiError('Throttling', {
            detail: 'too many signed requests in the last 15 minutes; nonce store is full',
            headers: { 'x-acs-retry-after': String(retryAfter) },
          })
        )
      }
      expiries.set(key, expiry)
      const bucket = Math.ceil(expiry / bucketMs)
      const keys = buckets.get(bucket)
      if (keys === undefined) buckets.set(bucket, [key])
      else keys.push(key)
      return Promise.resolve(true)
    },
  }
}

/**
 * The key a claim is kept under: 128 bits of SHA-256 over the length-prefixed pair (no two
 * pairs share an input; a collision of the digests is out of reach), as a fresh 22-character
 * string. Keeping `accessKeyId + nonce` itself kept alive the whole request text the nonce was
 * sliced from (V8 sliced strings): ≈ 500 bytes per nonce under load instead of ≈ 150.
 */
function nonceKey(accessKeyId: string, nonce: string): string {
  return createHash('sha256')
    .update(`${accessKeyId.length}:${accessKeyId}${nonce}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url')
}
