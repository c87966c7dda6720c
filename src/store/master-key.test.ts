import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { MasterKeyError } from './errors.ts'
import { loadMasterKey, MASTER_KEY_FILE } from './master-key.ts'

void describe('loadMasterKey', () => {
  let root = ''
  let n = 0
  const freshDir = () => join(root, `d${n++}`, 'nested')
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'rs-master-key-'))
  })
  after(async () => {
    await rm(root, { recursive: true, force: true })
  })

  void it('accepts 64 hex characters from the environment', async () => {
    const key = randomBytes(32)
    const dataDir = freshDir()
    assert.deepEqual(await loadMasterKey({ env: key.toString('hex'), dataDir }), key)
    await assert.rejects(stat(join(dataDir, MASTER_KEY_FILE)), { code: 'ENOENT' })
  })

  void it('accepts base64 (standard and url-safe) of 32 bytes', async () => {
    const key = randomBytes(32)
    const dataDir = freshDir()
    assert.deepEqual(await loadMasterKey({ env: key.toString('base64'), dataDir }), key)
    assert.deepEqual(await loadMasterKey({ env: key.toString('base64url'), dataDir }), key)
  })

  void it('rejects a malformed value without echoing it', async () => {
    const bad = [
      'not-a-key-but-a-secret-looking-value',
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      `${randomBytes(32).toString('hex')}00`,
    ]
    for (const env of bad) {
      await assert.rejects(loadMasterKey({ env, dataDir: freshDir() }), (err: unknown) => {
        assert.ok(err instanceof MasterKeyError)
        assert.equal(err.code, 'MasterKeyInvalid')
        assert.match(err.message, /REDIS_SESSIONS_MASTER_KEY/)
        assert.ok(!err.message.includes(env))
        assert.ok(!String(err.stack).includes(env))
        return true
      })
    }
  })

  void it('generates <dataDir>/master.key with mode 0600 and reuses it', async () => {
    const dataDir = freshDir()
    const first = await loadMasterKey({ env: undefined, dataDir })
    assert.equal(first.length, 32)
    const info = await stat(join(dataDir, MASTER_KEY_FILE))
    assert.equal(info.mode & 0o777, 0o600)
    const again = await loadMasterKey({ env: '', dataDir })
    assert.deepEqual(again, first)
    const text = await readFile(join(dataDir, MASTER_KEY_FILE), 'utf8')
    assert.equal(text.trim(), first.toString('hex'))
  })

  void it('agrees on one key when several loads race to create it', async () => {
    const dataDir = freshDir()
    const keys = await Promise.all(
      Array.from({ length: 8 }, () => loadMasterKey({ env: undefined, dataDir }))
    )
    for (const key of keys) assert.deepEqual(key, keys[0])
  })

  void it('prefers the environment over an existing key file', async () => {
    const dataDir = freshDir()
    const fileKey = await loadMasterKey({ env: undefined, dataDir })
    const envKey = randomBytes(32)
    const got = await loadMasterKey({ env: envKey.toString('hex'), dataDir })
    assert.deepEqual(got, envKey)
    assert.notDeepEqual(got, fileKey)
  })

  void it('reports a corrupt key file by name, not by content', async () => {
    const dataDir = freshDir()
    await loadMasterKey({ env: undefined, dataDir })
    const file = join(dataDir, MASTER_KEY_FILE)
    await writeFile(file, 'garbage-content-xyz\n')
    await assert.rejects(loadMasterKey({ env: undefined, dataDir }), (err: unknown) => {
      assert.ok(err instanceof MasterKeyError)
      assert.ok(err.message.includes(file))
      assert.ok(!err.message.includes('garbage-content-xyz'))
      return true
    })
  })
})
