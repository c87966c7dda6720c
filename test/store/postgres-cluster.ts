import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from '../support/free-port.ts'

const run = promisify(execFile)
/** Debian's PostgreSQL 15 (dependencies.md §5); full paths because it is not on PATH. */
export const PG_BIN = '/usr/lib/postgresql/15/bin'

/** A throwaway PostgreSQL cluster (dependencies.md §5 option A). */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/<database>` for any database of the cluster. */
  url(database: string): string
  stop(): Promise<void>
}

/** Why a throwaway cluster cannot be started here, or undefined when it can. */
export function clusterUnavailableReason(): string | undefined {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    return `${PG_BIN}/initdb not found: apt-get install -y postgresql (or set TEST_PG_URL)`
  }
  // initdb refuses to run as root, so we become `postgres` with runuser, which needs root.
  if (process.getuid?.() !== 0)
    return 'starting a throwaway cluster needs root (runuser -u postgres)'
  return undefined
}

async function asPostgres(command: string, args: string[]): Promise<void> {
  await run('runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args])
}

/**
 * initdb into a temp dir owned by `postgres` (trust auth), then `pg_ctl -w start` on a free
 * port, retrying when another process grabs the port between the probe and the start.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'rs-pg-'))
  const data = join(dir, 'data')
  const stopCluster = () =>
    asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined)
  try {
    const { uid, gid } = await postgresIds()
    await chown(dir, uid, gid)
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'])
    let lastError: unknown
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort()
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
      try {
        await asPostgres('pg_ctl', [
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
