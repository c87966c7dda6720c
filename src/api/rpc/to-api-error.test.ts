import assert from 'node:assert/strict'
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { freePort } from '../../../test/support/free-port.ts'
import { toApiError } from './to-api-error.ts'

/** What a driver really throws, caught. */
async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn()
  } catch (error) {
    return error
  }
  assert.fail('expected a rejection')
}

void describe('toApiError: the store cannot serve', () => {
  void it('maps a PostgreSQL server that refuses connections to ServiceUnavailable, without its address', async () => {
    const port = await freePort()
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'nobody', password: 'pw-secret' })
    const error = toApiError(await caught(() => client.connect()))
    assert.equal(error.catalogCode, 'ServiceUnavailable')
    assert.match(error.detail ?? '', /ECONNREFUSED/)
    assert.doesNotMatch(`${error.message} ${error.detail}`, new RegExp(`${port}|pw-secret|127\\.0`))
  })

  void it('maps a SQLite file that cannot be opened to ServiceUnavailable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rs-to-api-error-'))
    try {
      await mkdir(join(dir, 'db'))
      const error = toApiError(await caught(() => new BetterSqlite3(join(dir, 'db'))))
      assert.equal(error.catalogCode, 'ServiceUnavailable')
      assert.match(error.detail ?? '', /SQLITE_CANTOPEN/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  void it('leaves a client whose request body broke (ECONNRESET, status 400) to the client', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 })
    assert.equal(toApiError(aborted).catalogCode, 'InvalidParameter.Format')
  })

  void it('answers anything unknown as InternalError without echoing it', () => {
    const error = toApiError(new Error('secret internals at /var/lib/x'))
    assert.equal(error.catalogCode, 'InternalError')
    assert.doesNotMatch(`${error.message} ${error.detail}`, /secret internals/)
  })
})
