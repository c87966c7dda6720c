/**
 * The SQLite store under faults: a full disk (a 2 MiB tmpfs filled to the last byte), a data
 * directory on a read-only filesystem, and the database file deleted under a running server.
 * Expected: JSON errors with a code (ServiceUnavailable 503 while the disk is full), never a crash,
 * no corrupted or half-written data (checkStore), recovery once the fault is removed — without a
 * restart for a full disk; a deleted file needs a restart (and its data is gone).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdir, open, rm, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { SQLITE_FILE } from '../../src/store/open-store.ts'
import { ensureCliBuilt } from '../cli/run-cli.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import {
  ADMIN,
  callApi,
  dataOf,
  errorOf,
  startLiveServer,
  type ApiAnswer,
  type LiveServer,
} from './support/live-api.ts'
import { failedServe, serveEnv } from './support/serve-child.ts'
import { checkStore, mountTmpfs, remount, unmount } from './support/store-check.ts'

const PASSWORD = 'Store-Fault-Instance-Pw-77aa'

/** Registers `id` without a probe (endpoint never contacted). */
function addInstance(url: string, id: string): Promise<ApiAnswer> {
  return callApi(url, ADMIN, 'AddRedisInstance', {
    InstanceId: id,
    Topology: 'standalone',
    Endpoints: '127.0.0.1:1',
    Password: PASSWORD,
    Description: 'd'.repeat(200),
    SkipCheck: 'true',
  })
}

/** Writes zeros to `file` until the filesystem is full (bounded: at most 64 MiB). */
async function fillDisk(file: string): Promise<void> {
  const handle = await open(file, 'w')
  const chunk = Buffer.alloc(16 * 1024)
  try {
    for (let i = 0; i < 4096; i++) await handle.write(chunk)
    assert.fail('the disk never filled up')
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOSPC')) throw error
  } finally {
    await handle.close()
  }
}

void describe('store faults (SQLite)', () => {
  let mountPoint = ''
  let skipReason: string | undefined
  const skipped = (t: TestContext): boolean => {
    if (skipReason !== undefined) t.skip(skipReason)
    return skipReason !== undefined
  }

  before(async () => {
    await ensureCliBuilt()
    mountPoint = await makeTempDir('rs-tmpfs-')
    skipReason = await mountTmpfs(mountPoint, 2048)
  })
  after(async () => {
    if (skipReason === undefined) await unmount(mountPoint)
    await removeTempDir(mountPoint)
  })

  void it('disk full: writes answer ServiceUnavailable, reads work, recovery without restart', async (t) => {
    if (skipped(t)) return
    const dataDir = join(mountPoint, 'full')
    await mkdir(dataDir)
    const live = await startLiveServer({ dataDir })
    const acked: string[] = []
    const filler = join(mountPoint, 'filler')
    try {
      dataOf(await addInstance(live.url, 'r-before-full'))
      acked.push('r-before-full')
      await fillDisk(filler)
      for (let i = 0; i < 5; i++) {
        const answer = await addInstance(live.url, `r-during-full-${i}`)
        assert.match(errorOf(answer, 'ServiceUnavailable', 503), /SQLITE_FULL/)
        assert.ok(!answer.text.includes(PASSWORD))
      }
      const modify = await callApi(live.url, ADMIN, 'ModifyRedisInstance', {
        InstanceId: 'r-before-full',
        Description: 'x'.repeat(256),
        Password: `${PASSWORD}-2`,
      })
      // A small update may still fit in pages SQLite already has; it must then be whole.
      assert.ok([200, 503].includes(modify.status), modify.text.slice(0, 300))
      dataOf(await callApi(live.url, ADMIN, 'DescribeRedisInstances'))
      assert.equal((await fetch(`${live.url}/healthz`)).status, 200)
      await unlink(filler)
      dataOf(await addInstance(live.url, 'r-after-full'))
      acked.push('r-after-full')
      await live.close()
      const stored = await checkStore(dataDir, live.masterKeyHex)
      assert.deepEqual(
        stored.map((s) => s.instance.instanceId),
        acked.sort()
      )
      const first = stored.find((s) => s.instance.instanceId === 'r-before-full')
      const modified = modify.status === 200
      assert.equal(first?.password, modified ? `${PASSWORD}-2` : PASSWORD)
      assert.equal(first?.instance.description, modified ? 'x'.repeat(256) : 'd'.repeat(200))
    } finally {
      await rm(filler, { force: true })
      await live.close().catch(() => undefined)
    }
  })

  void it('read-only data directory: serve refuses to start with one line, exit 2', async (t) => {
    if (skipped(t)) return
    const dataDir = join(mountPoint, 'ro')
    await mkdir(dataDir)
    const masterKeyHex = randomBytes(32).toString('hex')
    const live = await startLiveServer({ dataDir, masterKeyHex })
    dataOf(await addInstance(live.url, 'r-before-ro'))
    // A filesystem with the database open for writing cannot be remounted read-only ("busy"):
    // the fault can only meet a server that starts on it.
    await live.close()
    await remount(mountPoint, 'ro')
    try {
      const { code, output } = await failedServe(dataDir, serveEnv(masterKeyHex))
      assert.equal(code, 2, output)
      // One line that names the file it could not open and the driver's code.
      const file = join(dataDir, 'redis-sessions.db')
      assert.ok(output.includes(`cannot open the SQLite store ${file}:`), output)
      assert.match(output, /redis-sessions: StoreUnavailable: .*\(SQLITE_CANTOPEN\)\n/)
      assert.doesNotMatch(output, /\n\s+at /, 'no stack trace')
    } finally {
      await remount(mountPoint, 'rw')
    }
    const stored = await checkStore(dataDir, masterKeyHex)
    assert.deepEqual(
      stored.map((s) => [s.instance.instanceId, s.password]),
      [['r-before-ro', PASSWORD]]
    )
  })

  void it('database file deleted under a running server: no crash; a restart starts afresh', async () => {
    const dataDir = await makeTempDir('rs-deleted-')
    const masterKeyHex = randomBytes(32).toString('hex')
    let live: LiveServer | undefined
    try {
      live = await startLiveServer({ dataDir, masterKeyHex })
      dataOf(await addInstance(live.url, 'r-before-delete'))
      await unlink(join(dataDir, SQLITE_FILE))
      // SQLite would go on writing to the open, unlinked file and lose it all at the next start;
      // the store refuses instead (same-file-guard.ts): reads and writes answer 503.
      const after = await addInstance(live.url, 'r-after-delete')
      assert.equal(after.status, 503, after.text.slice(0, 300))
      assert.match(after.text, /"Code":"ServiceUnavailable"/)
      const read = await callApi(live.url, ADMIN, 'DescribeRedisInstances')
      assert.equal(read.status, 503, read.text.slice(0, 300))
      assert.equal((await fetch(`${live.url}/healthz`)).status, 503)
      await live.close()
      live = await startLiveServer({ dataDir, masterKeyHex })
      // A fresh store: admin bootstrapped again from the environment, nothing else.
      const listed = dataOf(await callApi(live.url, ADMIN, 'DescribeRedisInstances'))
      assert.equal(listed['Total'], 0)
      dataOf(await addInstance(live.url, 'r-after-restart'))
      await live.close()
      live = undefined
      const stored = await checkStore(dataDir, masterKeyHex)
      assert.deepEqual(
        stored.map((s) => s.instance.instanceId),
        ['r-after-restart']
      )
    } finally {
      await live?.close()
      await removeTempDir(dataDir)
    }
  })

  void it('database file deleted: /healthz reports the store unavailable', async () => {
    const live = await startLiveServer()
    try {
      await unlink(join(live.dataDir, SQLITE_FILE))
      assert.equal((await fetch(`${live.url}/healthz`)).status, 503)
    } finally {
      await live.close()
    }
  })
})
