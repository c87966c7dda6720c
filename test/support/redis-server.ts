import { join } from 'node:path'
import { makeTempDir } from './processes.ts'
import { launchRedisProcess, type RedisServerHandle } from './redis-launch.ts'

export type { RedisServerHandle } from './redis-launch.ts'

/** Options for `startRedisServer`. */
export interface RedisServerOptions {
  /** Extra redis-server arguments, appended last (so they override ours). */
  args?: string[]
  /** `requirepass` and `masterauth` (replicas and cluster nodes authenticate with the same one). */
  password?: string
  /** Also listen on `<dir>/redis.sock`. */
  unixSocket?: boolean
  replicaOf?: { host: string; port: number }
  /** Raw `ACL SETUSER` rule lines (`name on >pw -@all +ping`), applied after start. */
  aclUsers?: string[]
  maxclients?: number
  /** Also bind `::1`, optional (`-::1`), so a machine without IPv6 still starts. */
  ipv6?: boolean
  /** Cluster node: port + 10000 free too, `cluster-enabled yes`, `nodes.conf` in its dir. */
  cluster?: boolean
}

/** `REDIS_SERVER_BIN` or `redis-server` from PATH. */
export const REDIS_SERVER_BIN = process.env['REDIS_SERVER_BIN'] ?? 'redis-server'

/**
 * Starts a throwaway redis-server on 127.0.0.1 and a free port (`--save '' --appendonly no`, own temp
 * dir and log) and resolves once it answers PING. Stop it with `handle.stop()`; the process registry
 * kills it anyway when the test process ends.
 */
export async function startRedisServer(
  options: RedisServerOptions = {}
): Promise<RedisServerHandle> {
  const dir = await makeTempDir('redis-server-')
  const unixSocket = options.unixSocket === true ? join(dir, 'redis.sock') : undefined
  const logFile = join(dir, 'redis.log')
  const handle = await launchRedisProcess({
    bin: REDIS_SERVER_BIN,
    dir,
    needsBusPort: options.cluster === true,
    password: options.password,
    unixSocket,
    logFile,
    argsFor: (port) => Promise.resolve(serverArgs(port, dir, logFile, unixSocket, options)),
  })
  try {
    for (const rule of options.aclUsers ?? []) {
      await handle.cli('ACL', 'SETUSER', ...rule.trim().split(/\s+/))
    }
  } catch (error) {
    await handle.stop()
    throw error
  }
  return handle
}

function serverArgs(
  port: number,
  dir: string,
  logFile: string,
  unixSocket: string | undefined,
  options: RedisServerOptions
): string[] {
  const args = ['--port', String(port), '--bind', '127.0.0.1']
  if (options.ipv6 === true) args.push('-::1')
  args.push('--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', logFile)
  // No replica catch-up wait on SIGTERM (7.0 default is 10 s); DEBUG SLEEP for latency tests.
  args.push('--daemonize', 'no', '--shutdown-timeout', '0', '--enable-debug-command', 'local')
  // Full syncs start at once instead of after the 5 s diskless-sync delay (7.0 default).
  args.push('--repl-diskless-sync-delay', '0')
  if (unixSocket !== undefined) args.push('--unixsocket', unixSocket, '--unixsocketperm', '700')
  if (options.password !== undefined) {
    args.push('--requirepass', options.password, '--masterauth', options.password)
  }
  if (options.replicaOf !== undefined) {
    args.push('--replicaof', options.replicaOf.host, String(options.replicaOf.port))
  }
  if (options.maxclients !== undefined) args.push('--maxclients', String(options.maxclients))
  if (options.cluster === true) {
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'))
    args.push('--cluster-node-timeout', '5000')
  }
  args.push(...(options.args ?? []))
  return args
}

/**
 * Starts `count` servers with the same options in parallel. If any fails, the ones that did start
 * are stopped before the first error is rethrown, so nothing outlives a failed setup.
 */
export async function startRedisServers(
  count: number,
  options: RedisServerOptions = {}
): Promise<RedisServerHandle[]> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => startRedisServer(options))
  )
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = results.find((r) => r.status === 'rejected')
  if (failed === undefined) return started
  await Promise.all(started.map((s) => s.stop()))
  throw failed.reason
}
