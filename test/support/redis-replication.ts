import { parseInfo } from './redis-cli.ts'
import { startRedisServer, startRedisServers, type RedisServerHandle } from './redis-server.ts'
import { waitFor } from './wait.ts'

/** A master with replicas, all started by this harness. */
export interface Replication {
  master: RedisServerHandle
  replicas: RedisServerHandle[]
  /** Stops every server of the group. */
  stop(): Promise<void>
}

/**
 * Starts a master and `replicas` (default 2) replicas of it and waits until every replica reports
 * `master_link_status:up` and the master lists each one as `state=online`.
 */
export async function startReplication(
  options: { replicas?: number; password?: string } = {}
): Promise<Replication> {
  const auth = options.password === undefined ? {} : { password: options.password }
  const started: RedisServerHandle[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.stop()))
  }
  try {
    const master = await startRedisServer(auth)
    started.push(master)
    const replicas = await startRedisServers(options.replicas ?? 2, { ...auth, replicaOf: master })
    started.push(...replicas)
    await waitForReplicationUp(master, replicas)
    return { master, replicas, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** Waits until each replica's link is up and the master sees all of them online. */
export async function waitForReplicationUp(
  master: RedisServerHandle,
  replicas: readonly RedisServerHandle[]
): Promise<void> {
  await waitFor(
    async () => {
      for (const replica of replicas) {
        const info = parseInfo(await replica.cli('INFO', 'replication'))
        if (info.get('master_link_status') !== 'up') return false
      }
      const info = parseInfo(await master.cli('INFO', 'replication'))
      const online = replicas.filter((r) =>
        [...info.entries()].some(
          ([key, value]) =>
            /^slave\d+$/.test(key) &&
            value.includes(`port=${r.port},`) &&
            value.includes('state=online')
        )
      )
      return online.length === replicas.length
    },
    { what: `replication of master ${master.port} to ${replicas.length} replica(s)` }
  )
}
