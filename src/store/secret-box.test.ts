import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { SecretDecryptError, StoreInvalidInputError } from './errors.ts'
import { openSecret, sealSecret } from './secret-box.ts'

const key = randomBytes(32)

void describe('secret-box', () => {
  void it('round-trips a secret, including non-ASCII and empty text', () => {
    for (const plain of ['s3cr3t', 'pässwörd 🔑', '']) {
      assert.equal(openSecret(key, sealSecret(key, plain)), plain)
    }
  })

  void it('writes v1:<iv>:<tag>:<ct> in base64 without the plain text', () => {
    const sealed = sealSecret(key, 'hunter2-hunter2')
    const parts = sealed.split(':')
    assert.equal(parts.length, 4)
    assert.equal(parts[0], 'v1')
    assert.equal(Buffer.from(parts[1] ?? '', 'base64').length, 12)
    assert.equal(Buffer.from(parts[2] ?? '', 'base64').length, 16)
    assert.ok(!sealed.includes('hunter2'))
  })

  void it('uses a fresh IV each time, so equal secrets seal differently', () => {
    assert.notEqual(sealSecret(key, 'same'), sealSecret(key, 'same'))
  })

  void it('refuses to open with a different key', () => {
    const sealed = sealSecret(key, 'secret')
    assert.throws(
      () => openSecret(randomBytes(32), sealed),
      (err: unknown) => {
        assert.ok(err instanceof SecretDecryptError)
        assert.equal(err.code, 'SecretDecryptFailed')
        assert.ok(!err.message.includes('secret,'))
        return true
      }
    )
  })

  void it('detects a changed ciphertext or tag', () => {
    const [v, iv, tag, ct] = sealSecret(key, 'secret value').split(':')
    const flip = (b64: string | undefined): string => {
      const bytes = Buffer.from(b64 ?? '', 'base64')
      bytes[0] = (bytes[0] ?? 0) ^ 1
      return bytes.toString('base64')
    }
    assert.throws(() => openSecret(key, [v, iv, tag, flip(ct)].join(':')), SecretDecryptError)
    assert.throws(() => openSecret(key, [v, iv, flip(tag), ct].join(':')), SecretDecryptError)
  })

  void it('rejects unknown formats and versions', () => {
    for (const bad of ['', 'plain', 'v2:a:b:c', 'v1:AAAA:BBBB', 'v1:AAAA:BBBB:CCCC:DDDD']) {
      assert.throws(() => openSecret(key, bad), SecretDecryptError)
    }
  })

  void it('requires a 32-byte key', () => {
    assert.throws(() => sealSecret(randomBytes(16), 'x'), StoreInvalidInputError)
    assert.throws(() => openSecret(randomBytes(31), 'v1:a:b:c'), StoreInvalidInputError)
  })
})
