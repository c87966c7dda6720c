/**
 * The store's checks after a fault: SQLite's own (`integrity_check`, `foreign_key_check`) on the
 * file, then every row read back through the repositories (a row the store did not write whole
 * fails `fromRow` with StoreCorruptError; a secret that does not decrypt fails too). And a small
 * tmpfs for disk-full and read-only faults.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import { openStore, SQLITE_FILE } from '../../../src/store/open-store.ts'
import type { Instance } from '../../../src/store/store.ts'

const run = promisify(execFile)

/** An instance as read back, with its decrypted password. */
export interface CheckedInstance {
  instance: Instance
  password: string | undefined
}

/** Runs every check on the SQLite store in `dataDir`; returns every instance, sorted by id. */
export async function checkStore(
  dataDir: string,
  masterKeyHex: string
): Promise<CheckedInstance[]> {
  const database = new BetterSqlite3(join(dataDir, SQLITE_FILE), { fileMustExist: true })
  try {
    assert.deepEqual(database.pragma('integrity_check'), [{ integrity_check: 'ok' }])
    assert.deepEqual(database.pragma('foreign_key_check'), [])
  } finally {
    database.close()
  }
  const store = await openStore({ dataDir, masterKey: Buffer.from(masterKeyHex, 'hex') })
  try {
    const { total, items } = await store.instances.list({ page: 1, pageSize: 1000 })
    assert.equal(items.length, total)
    for (const user of await store.users.list()) await store.accessKeys.list(user.name)
    const checked: CheckedInstance[] = []
    for (const instance of items) {
      checked.push({
        instance,
        password: await store.instances.getConnectionSecret(instance.instanceId),
      })
    }
    return checked
  } finally {
    await store.close()
  }
}

/**
 * Mounts a tmpfs of `sizeKiB` at `dir` (root only). Resolves undefined on success, else why not
 * (not root, no CAP_SYS_ADMIN in a container, no `mount`), for a clear skip.
 */
export async function mountTmpfs(dir: string, sizeKiB: number): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root'
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir])
    return undefined
  } catch (error) {
    const text = error instanceof Error ? error.message.split('\n').slice(-2).join(' ') : ''
    return `mount -t tmpfs failed (${text.trim()})`
  }
}

/** `mount -o remount,<mode>`; rejects with mount's message (e.g. "busy" while a file is open). */
export async function remount(dir: string, mode: 'ro' | 'rw'): Promise<void> {
  await run('mount', ['-o', `remount,${mode}`, dir])
}

/** Unmounts, lazily if something still holds it; never throws. */
export async function unmount(dir: string): Promise<void> {
  await run('umount', [dir]).catch(() => run('umount', ['-l', dir]).catch(() => undefined))
}
