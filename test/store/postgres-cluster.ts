import { execFile } from 'node:child_process'
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from '../support/free-port.ts'

const run = promisify(execFile)
const PG_LIB = '/usr/lib/postgresql'

/**
 * The bin directory of the newest PostgreSQL installed from Debian's packages (15 on Debian 12,
 * dependencies.md §5): full paths because it is not on PATH. Undefined when none is.
 */
function findPgBin(): string | undefined {
  const versions = existsSync(PG_LIB)
    ? readdirSync(PG_LIB)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(PG_LIB, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  return versions[0] === undefined ? undefined : join(PG_LIB, versions[0], 'bin')
}

export const PG_BIN = findPgBin()

/** A throwaway PostgreSQL cluster (dependencies.md §5 option A). */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/<database>` for any database of the cluster. */
  url(database: string): string
  stop(): Promise<void>
}

/** initdb refuses to run as root: root becomes `postgres` with runuser; anyone else is fine. */
const asRoot = process.getuid?.() === 0

/** Why a throwaway cluster cannot be started here, or undefined when it can. */
export function clusterUnavailableReason(): string | undefined {
  if (PG_BIN === undefined) {
    return `no ${PG_LIB}/<version>/bin/initdb: apt-get install -y postgresql (or set TEST_PG_URL)`
  }
  return undefined
}

async function pgCommand(command: string, args: string[]): Promise<void> {
  const bin = PG_BIN ?? assert.fail(clusterUnavailableReason())
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
  else await run(join(bin, command), args)
}

/**
 * initdb into a temp dir (owned by `postgres` when we are root; trust auth), then `pg_ctl -w start` on a free
 * port, retrying when another process grabs the port between the probe and the start.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'rs-pg-'))
  const data = join(dir, 'data')
  const stopCluster = () =>
    pgCommand('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined)
  try {
    if (asRoot) {
      const { uid, gid } = await postgresIds()
      await chown(dir, uid, gid)
    }
    await pgCommand('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'])
    let lastError: unknown
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort()
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
      try {
        await pgCommand('pg_ctl', [
          '-D',
          data,
          '-l',
          join(dir, 'pg.log'),
          '-o',
          options,
          '-w',
          'start',
        ])
        return {
          url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
          async stop() {
            await stopCluster()
            await rm(dir, { recursive: true, force: true })
          },
        }
      } catch (err) {
        lastError = err
      }
    }
    throw new Error('PostgreSQL did not start on a free port after 5 attempts', {
      cause: lastError,
    })
  } catch (err) {
    await stopCluster()
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim())
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim())
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('no postgres user')
  return { uid, gid }
}
