import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openStore, SQLITE_FILE } from '../../src/store/open-store.ts'
import type { Store } from '../../src/store/store.ts'
import { runStoreContract } from './contract.ts'

let root = ''
let counter = 0
/** Where each store lives and the key it was opened with, for rawBytes and reopen. */
const opened = new Map<Store, { dataDir: string; masterKey: Buffer }>()

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'rs-store-sqlite-'))
})
after(async () => {
  await rm(root, { recursive: true, force: true })
})

async function openAt(dataDir: string, masterKey: Buffer): Promise<Store> {
  const store = await openStore({ dataDir, masterKey })
  opened.set(store, { dataDir, masterKey })
  return store
}

function where(store: Store): { dataDir: string; masterKey: Buffer } {
  const found = opened.get(store)
  assert.ok(found, 'store was not opened by this suite')
  return found
}

async function readIfPresent(file: string): Promise<Buffer> {
  try {
    return await readFile(file)
  } catch {
    return Buffer.alloc(0)
  }
}

runStoreContract('sqlite', () => openAt(join(root, `db-${counter++}`), randomBytes(32)), {
  async rawBytes(store) {
    const file = join(where(store).dataDir, SQLITE_FILE)
    // Recent commits live in the WAL until a checkpoint: read both.
    return Buffer.concat([await readFile(file), await readIfPresent(`${file}-wal`)])
  },
  reopen(store, masterKey) {
    const { dataDir, masterKey: same } = where(store)
    return openAt(dataDir, masterKey ?? same)
  },
})

void describe('openStore (sqlite)', () => {
  void it('creates <dataDir>/redis-sessions.db with WAL and enforced foreign keys', async () => {
    const dataDir = join(root, 'pragmas', 'nested')
    const store = await openStore({ dataDir, masterKey: randomBytes(32) })
    try {
      await store.users.create('u')
      const header = await readFile(join(dataDir, SQLITE_FILE))
      assert.equal(header.subarray(0, 15).toString('latin1'), 'SQLite format 3')
      // File format bytes 18/19 = 2 mean WAL mode is persistent in the file.
      assert.equal(header[18], 2)
    } finally {
      await store.close()
    }
  })

  void it('ignores a non-postgres DATABASE_URL and uses the SQLite file', async () => {
    const dataDir = join(root, 'not-pg')
    const store = await openStore({ databaseUrl: 'mysql://x', dataDir, masterKey: randomBytes(32) })
    try {
      await store.ping()
      assert.ok((await readFile(join(dataDir, SQLITE_FILE))).length > 0)
    } finally {
      await store.close()
    }
  })

  void it('refuses a master key that is not 32 bytes', async () => {
    await assert.rejects(
      openStore({ dataDir: join(root, 'short-key'), masterKey: randomBytes(16) }),
      { code: 'MasterKeyInvalid' }
    )
  })

  void it('names the file it cannot open (a directory where the database should be)', async () => {
    const dataDir = join(root, 'blocked')
    await mkdir(join(dataDir, SQLITE_FILE), { recursive: true })
    await assert.rejects(openStore({ dataDir, masterKey: randomBytes(32) }), (error: unknown) => {
      assert.ok(error instanceof Error)
      assert.equal((error as { code?: string }).code, 'StoreUnavailable')
      assert.ok(error.message.includes(join(dataDir, SQLITE_FILE)), error.message)
      assert.match(error.message, /SQLITE_CANTOPEN/)
      return true
    })
  })
})
