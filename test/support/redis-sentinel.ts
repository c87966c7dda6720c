import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTempDir } from './processes.ts'
import { launchRedisProcess } from './redis-launch.ts'
import { startReplication } from './redis-replication.ts'
import type { RedisServerHandle } from './redis-server.ts'
import { sentinelView } from './sentinel-view.ts'
import { waitFor } from './wait.ts'

/** A monitored master with replicas and the sentinels watching it. */
export interface SentinelDeployment {
  masterName: string
  master: RedisServerHandle
  replicas: RedisServerHandle[]
  /** Handles for redis-sentinel processes (`cli` talks to the sentinel; no password). */
  sentinels: RedisServerHandle[]
  /** Stops sentinels first (no failover during teardown), then the data nodes. */
  stop(): Promise<void>
}

/** Options for `startSentinelDeployment`. */
export interface SentinelDeploymentOptions {
  masterName?: string
  replicas?: number
  sentinels?: number
  /** Default: a majority of the sentinels (2 of 3). */
  quorum?: number
  /** Data nodes' `requirepass`; sentinels get `sentinel auth-pass`. */
  password?: string
  /** `sentinel down-after-milliseconds`, default 5000. */
  downAfterMs?: number
}

/** `REDIS_SENTINEL_BIN` or `redis-sentinel` from PATH. */
export const REDIS_SENTINEL_BIN = process.env['REDIS_SENTINEL_BIN'] ?? 'redis-sentinel'

/**
 * Starts a replication group (default 2 replicas) and `sentinels` (default 3, quorum 2) monitoring
 * it, each with a fresh `sentinel.conf` in its own temp dir (sentinel rewrites it, `redis.md` §12).
 * Resolves once every sentinel lists every replica as healthy and knows all other sentinels.
 */
export async function startSentinelDeployment(
  options: SentinelDeploymentOptions = {}
): Promise<SentinelDeployment> {
  const masterName = options.masterName ?? 'mymaster'
  const count = options.sentinels ?? 3
  const replication = await startReplication({
    replicas: options.replicas ?? 2,
    ...(options.password === undefined ? {} : { password: options.password }),
  })
  const { master, replicas } = replication
  const conf = sentinelConf(masterName, master.port, {
    quorum: options.quorum ?? Math.floor(count / 2) + 1,
    downAfterMs: options.downAfterMs ?? 5000,
    password: options.password,
  })
  const started = await Promise.allSettled(Array.from({ length: count }, () => startSentinel(conf)))
  const sentinels = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const stop = async (): Promise<void> => {
    await Promise.all(sentinels.map((s) => s.stop()))
    await replication.stop()
  }
  try {
    const failed = started.find((r) => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    await waitFor(
      async () => {
        for (const sentinel of sentinels) {
          const view = await sentinelView(sentinel, masterName)
          const ports = new Set(view.replicas.filter((r) => r.healthy).map((r) => r.port))
          if (!replicas.every((r) => ports.has(r.port))) return false
          if (view.otherSentinels !== count - 1) return false
        }
        return true
      },
      { what: `${count} sentinels to see ${replicas.length} replicas and each other` }
    )
    return { masterName, master, replicas, sentinels, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

function sentinelConf(
  name: string,
  masterPort: number,
  options: { quorum: number; downAfterMs: number; password: string | undefined }
): (port: number, dir: string) => string {
  return (port, dir) =>
    [
      `port ${port}`,
      'bind 127.0.0.1',
      'daemonize no',
      `dir ${JSON.stringify(dir)}`,
      `logfile ${JSON.stringify(join(dir, 'sentinel.log'))}`,
      `sentinel monitor ${name} 127.0.0.1 ${masterPort} ${options.quorum}`,
      `sentinel down-after-milliseconds ${name} ${options.downAfterMs}`,
      `sentinel failover-timeout ${name} 60000`,
      `sentinel parallel-syncs ${name} 1`,
      ...(options.password === undefined
        ? []
        : [`sentinel auth-pass ${name} ${JSON.stringify(options.password)}`]),
      '',
    ].join('\n')
}

async function startSentinel(
  conf: (port: number, dir: string) => string
): Promise<RedisServerHandle> {
  const dir = await makeTempDir('redis-sentinel-')
  const file = join(dir, 'sentinel.conf')
  return await launchRedisProcess({
    bin: REDIS_SENTINEL_BIN,
    dir,
    needsBusPort: false,
    password: undefined,
    unixSocket: undefined,
    logFile: join(dir, 'sentinel.log'),
    argsFor: async (port) => {
      // Fresh per attempt: a sentinel rewrites its config, and a retry gets a new port.
      await writeFile(file, conf(port, dir))
      return [file]
    },
  })
}
