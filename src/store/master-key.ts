import { randomBytes } from 'node:crypto'
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MasterKeyError } from './errors.ts'

const KEY_BYTES = 32
/** File name of the generated key inside the data directory. */
export const MASTER_KEY_FILE = 'master.key'

/** Options of {@link loadMasterKey}. */
export interface LoadMasterKeyOptions {
  /** Value of `REDIS_SESSIONS_MASTER_KEY`; empty or blank counts as absent. */
  env: string | undefined
  /** Where `master.key` is kept when `env` is absent. */
  dataDir: string
}

/** 64 hex characters, or base64 (standard or url-safe) of exactly 32 bytes; else undefined. */
function parseKey(text: string): Buffer | undefined {
  const value = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex')
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value, 'base64')
    if (key.length === KEY_BYTES) return key
  }
  return undefined
}

function hasCode(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code
}

/**
 * Returns the 32-byte master key that seals secrets at rest (contract §7): from `env` when set,
 * else from `<dataDir>/master.key`, which is generated (mode 0600) on first use and reused after.
 * Errors never include the key text.
 */
export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<Buffer> {
  if (options.env !== undefined && options.env.trim() !== '') {
    const key = parseKey(options.env)
    if (key === undefined) {
      throw new MasterKeyError(
        'REDIS_SESSIONS_MASTER_KEY is malformed: expected 64 hex characters or the base64 of 32 bytes (generate one with `openssl rand -hex 32`)'
      )
    }
    return key
  }
  const file = join(options.dataDir, MASTER_KEY_FILE)
  const existing = await readKeyFile(file)
  if (existing !== undefined) return existing
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 })
  // Write a temp file, then hard-link it into place: link() fails if the name exists, so two
  // processes starting at once agree on one key and nobody reads a half-written file.
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(tmp, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  try {
    await chmod(tmp, 0o600) // the umask could only have narrowed it; make it exact
    await link(tmp, file)
  } catch (err) {
    if (!hasCode(err, 'EEXIST')) throw err
  } finally {
    await unlink(tmp)
  }
  const created = await readKeyFile(file)
  if (created === undefined) throw new MasterKeyError(`${file} vanished while being created`)
  return created
}

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if (hasCode(err, 'ENOENT')) return undefined
    throw new MasterKeyError(`cannot read the master key file ${file}`, { cause: err })
  }
  const key = parseKey(text)
  if (key === undefined) {
    throw new MasterKeyError(
      `the master key file ${file} is malformed: expected 64 hex characters or the base64 of 32 bytes`
    )
  }
  return key
}
