import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { SecretDecryptError, StoreInvalidInputError } from './errors.ts'

const VERSION = 'v1'
/** 96-bit IV: the size GCM is specified for (NIST SP 800-38D). */
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new StoreInvalidInputError(`master key must be ${KEY_BYTES} bytes, got ${key.length}`)
  }
}

/**
 * Encrypts `plain` with AES-256-GCM under `key` (32 bytes) and a fresh random IV.
 * Returns `v1:<iv>:<tag>:<ciphertext>`, each part base64; the version lets a later
 * format or key rotation coexist with rows written now.
 */
export function sealSecret(key: Buffer, plain: string): string {
  checkKey(key)
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return [VERSION, iv.toString('base64'), tag.toString('base64'), ct.toString('base64')].join(':')
}

/**
 * Decrypts a value made by {@link sealSecret}. Throws {@link SecretDecryptError} when the key
 * is not the one it was sealed with or the text was altered (GCM authenticates both).
 */
export function openSecret(key: Buffer, sealed: string): string {
  checkKey(key)
  const parts = sealed.split(':')
  const [version, ivText, tagText, ctText] = parts
  if (
    parts.length !== 4 ||
    version !== VERSION ||
    ivText === undefined ||
    tagText === undefined ||
    ctText === undefined
  ) {
    throw new SecretDecryptError('sealed secret has an unknown format')
  }
  const iv = Buffer.from(ivText, 'base64')
  const tag = Buffer.from(tagText, 'base64')
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretDecryptError('sealed secret has an unknown format')
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
    decipher.setAuthTag(tag)
    const plain = Buffer.concat([decipher.update(Buffer.from(ctText, 'base64')), decipher.final()])
    return plain.toString('utf8')
  } catch (cause) {
    throw new SecretDecryptError(
      'cannot decrypt a stored secret: the master key differs from the one it was sealed with, or the data was altered',
      { cause }
    )
  }
}
