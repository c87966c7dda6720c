import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hashPassword, verifyPassword } from './password-hash.ts'

void describe('password-hash', () => {
  void it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple')
    assert.equal(await verifyPassword('correct horse battery staple', stored), true)
    assert.equal(await verifyPassword('correct horse battery stapl', stored), false)
    assert.equal(await verifyPassword('', stored), false)
  })

  void it('stores scrypt parameters and a salt, not the password', async () => {
    const stored = await hashPassword('pw-123456')
    const parts = stored.split('$')
    assert.equal(parts.length, 6)
    assert.equal(parts[0], 'scrypt')
    assert.deepEqual(parts.slice(1, 4), ['32768', '8', '1'])
    assert.ok(Buffer.from(parts[4] ?? '', 'base64').length >= 16)
    assert.ok(!stored.includes('pw-123456'))
  })

  void it('salts: the same password hashes differently and both verify', async () => {
    const a = await hashPassword('same')
    const b = await hashPassword('same')
    assert.notEqual(a, b)
    assert.equal(await verifyPassword('same', a), true)
    assert.equal(await verifyPassword('same', b), true)
  })

  void it('honours parameters stored with the hash', async () => {
    const stored = await hashPassword('pw')
    const [, , , , salt] = stored.split('$')
    // Re-deriving with other parameters gives another key, so the hash must carry them.
    const changed = stored.replace('scrypt$32768$8$1$', 'scrypt$16384$8$1$')
    assert.ok(salt !== undefined && changed !== stored)
    assert.equal(await verifyPassword('pw', changed), false)
  })

  void it('never verifies against a malformed or hostile stored value', async () => {
    const good = await hashPassword('pw')
    const key = good.split('$')[5] ?? ''
    const bad = [
      '',
      'pw',
      'bcrypt$10$abc',
      `scrypt$1000$8$1$c2FsdHNhbHRzYWx0$${key}`, // N not a power of two
      `scrypt$${2 ** 24}$8$1$c2FsdHNhbHRzYWx0$${key}`, // N above the cap
      `scrypt$16384$0$1$c2FsdHNhbHRzYWx0$${key}`,
      'scrypt$16384$8$1$c2FsdHNhbHRzYWx0$c2hvcnQ=', // key too short
    ]
    for (const stored of bad) assert.equal(await verifyPassword('pw', stored), false, stored)
  })
})
