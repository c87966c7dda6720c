import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (≈ 32 MiB, tens of ms) — the OWASP password storage
 * minimum for scrypt. Stored with each hash, so raising it later keeps old hashes valid.
 */
const DEFAULT_PARAMS = { N: 2 ** 15, r: 8, p: 1 }
const SALT_BYTES = 16
const KEY_BYTES = 32
/** Upper bounds accepted from a stored hash, so a tampered row cannot make verify eat the host. */
const MAX_N = 2 ** 20
const MAX_R = 32
const MAX_P = 16

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  const { N = 0, r = 0, p = 0 } = params
  // Node's default maxmem (32 MiB) is exactly 128·N·r for our defaults; leave headroom.
  const maxmem = 256 * N * r + 1024 * 1024
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { N, r, p, maxmem }, (err, key) => {
      if (err) reject(err)
      else resolve(key)
    })
  })
}

/**
 * Hashes a password with scrypt and a random salt.
 * Format: `scrypt$<N>$<r>$<p>$<salt base64>$<key base64>`.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, DEFAULT_PARAMS)
  const { N, r, p } = DEFAULT_PARAMS
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$')
}

function parseStored(
  stored: string
): { params: { N: number; r: number; p: number }; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^[0-9]{1,8}$/.test(s) ? Number(s) : NaN))
  if (N === undefined || r === undefined || p === undefined) return undefined
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0
  if (!powerOfTwo || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) {
    return undefined
  }
  const salt = Buffer.from(parts[4] ?? '', 'base64')
  const key = Buffer.from(parts[5] ?? '', 'base64')
  if (salt.length < 8 || key.length !== KEY_BYTES) return undefined
  return { params: { N, r, p }, salt, key }
}

/**
 * Checks `password` against a hash from {@link hashPassword}, in constant time with respect to
 * the key bytes. A malformed stored hash never verifies (returns false, does not throw).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored)
  if (parsed === undefined) return false
  const key = await derive(password, parsed.salt, parsed.params)
  return timingSafeEqual(key, parsed.key)
}
