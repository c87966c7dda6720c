import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { createCleanup, EXPIRED_CREDENTIALS_KEPT_MS } from '../../src/service/cleanup.ts'
import { openStore } from '../../src/store/open-store.ts'
import type { Store } from '../../src/store/store.ts'
import { waitFor } from '../support/wait.ts'

const HOUR = 3_600_000
const silent = pino({ level: 'silent' })

/** The periodic cleanup on a real SQLite store. */
void describe('cleanup of expired temporary credentials', () => {
  let dataDir = ''
  let store: Store | undefined
  const s = (): Store => store ?? assert.fail('no store')
  const exists = async (accessKeyId: string) =>
    (await s().tempCredentials.getForVerification(accessKeyId)) !== undefined

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rs-cleanup-'))
    store = await openStore({ dataDir, masterKey: randomBytes(32) })
    await store.users.create('kate')
  })
  after(async () => {
    await store?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('deletes credentials expired for longer than a day, and keeps the others', async () => {
    const now = 1_800_000_000_000
    const longGone = await s().tempCredentials.create(
      'kate',
      HOUR,
      now - EXPIRED_CREDENTIALS_KEPT_MS - 2 * HOUR
    )
    const edge = await s().tempCredentials.create(
      'kate',
      HOUR,
      now - EXPIRED_CREDENTIALS_KEPT_MS - HOUR
    )
    const recent = await s().tempCredentials.create('kate', HOUR, now - 2 * HOUR)
    const valid = await s().tempCredentials.create('kate', HOUR, now)
    const cleanup = createCleanup({ store: s(), logger: silent })
    assert.deepEqual(await cleanup.runOnce(now), { tempCredentials: 2, failed: false })
    assert.equal(await exists(longGone.accessKeyId), false)
    assert.equal(await exists(edge.accessKeyId), false)
    assert.equal(
      await exists(recent.accessKeyId),
      true,
      'expired an hour ago: still answered as expired'
    )
    assert.equal(await exists(valid.accessKeyId), true)
    assert.deepEqual(await cleanup.runOnce(now), { tempCredentials: 0, failed: false })
  })

  it('runs by itself once started, until stopped', async () => {
    const old = await s().tempCredentials.create('kate', HOUR, 0)
    const cleanup = createCleanup({ store: s(), logger: silent, intervalMs: 20 })
    cleanup.start()
    try {
      await waitFor(async () => !(await exists(old.accessKeyId)), {
        what: 'a periodic run to delete the expired credentials',
        timeoutMs: 10_000,
      })
    } finally {
      await cleanup.stop()
    }
  })

  it('logs a store failure instead of throwing', async () => {
    const broken = await openStore({
      dataDir: await mkdtemp(join(dataDir, 'closed-')),
      masterKey: randomBytes(32),
    })
    await broken.close()
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'))
        done()
      },
    })
    const cleanup = createCleanup({ store: broken, logger: pino(sink) })
    assert.deepEqual(await cleanup.runOnce(), { tempCredentials: 0, failed: true })
    assert.equal(lines.length, 1)
    const entry: unknown = JSON.parse(lines[0] ?? '')
    assert.ok(typeof entry === 'object' && entry !== null && 'msg' in entry && 'err' in entry)
    assert.match(String(entry.msg), /cleanup/)
  })
})
