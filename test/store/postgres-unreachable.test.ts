import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { openStore } from '../../src/store/open-store.ts'
import { freePort } from '../support/free-port.ts'

void describe('openStore (PostgreSQL that cannot be reached)', () => {
  void it('fails with StoreMigrationFailed naming the cause, never the password', async () => {
    const port = await freePort() // nothing listens there
    const databaseUrl = `postgres://nobody:pw-secret@127.0.0.1:${port}/db`
    const options = { dataDir: '/nonexistent', databaseUrl, masterKey: randomBytes(32) }
    await assert.rejects(openStore(options), (error) => {
      assert.ok(error instanceof Error)
      assert.equal((error as { code?: string }).code, 'StoreMigrationFailed')
      assert.match(error.message, /^the store could not be migrated: .*ECONNREFUSED/)
      assert.doesNotMatch(error.message, /pw-secret|nobody/)
      return true
    })
  })
})
