import { randomBytes } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** Largest multiple of 62 below 256: bytes at or above it are dropped so every character is equally likely. */
const LIMIT = 248

/** `length` characters of [0-9A-Za-z] from crypto.randomBytes, without modulo bias. */
export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= LIMIT) continue
      out += BASE62.charAt(byte % 62)
      if (out.length === length) break
    }
  }
  return out
}

/** AccessKeyId in Alibaba's shape: `LTAI` + 20 base62 characters. */
export function newAccessKeyId(): string {
  return `LTAI${randomBase62(20)}`
}

/** AccessKeySecret: 30 base62 characters (≈ 178 bits). */
export function newAccessKeySecret(): string {
  return randomBase62(30)
}

/** Temporary AccessKeyId in STS's shape: `STS.` + 24 base62 characters. */
export function newTempAccessKeyId(): string {
  return `STS.${randomBase62(24)}`
}

/** SecurityToken of temporary credentials: 64 base62 characters (≈ 381 bits). */
export function newSecurityToken(): string {
  return randomBase62(64)
}
