import { readFile, rm } from 'node:fs/promises'
import { freePort, freePortWithBus } from './free-port.ts'
import { spawnManaged, removeTempDir, type ManagedProcess } from './processes.ts'
import { runRedisCli, type RedisCliOptions } from './redis-cli.ts'
import { isReady } from './redis-ping.ts'
import { waitFor } from './wait.ts'
import { recordSecret } from './secrets.ts'

/** A running redis-server or redis-sentinel started by this harness. */
export interface RedisServerHandle {
  host: '127.0.0.1'
  port: number
  /** `redis://127.0.0.1:<port>` (no credentials). */
  url: string
  /** Its own temp directory (working dir, log, unix socket, nodes.conf / sentinel.conf). */
  dir: string
  pid: number
  unixSocket: string | undefined
  password: string | undefined
  logFile: string
  process: ManagedProcess
  /** Runs `redis-cli -e` against it (with its password) and returns stdout; rejects on error replies. */
  cli(...args: string[]): Promise<string>
  /** Like `cli`, with `--json` or other options. */
  cliWith(options: RedisCliOptions, ...args: string[]): Promise<string>
  /** SIGSTOP: the socket stays open but nothing answers (timeouts). */
  pause(): void
  /** SIGCONT. */
  resume(): void
  /** SIGTERM, SIGKILL after a short grace, then removes `dir`. */
  stop(): Promise<void>
  /** SIGKILL now (unreachable node); `stop()` still cleans up. */
  kill(): void
}

/** How to launch one server; the launcher picks the port and retries on "Address already in use". */
export interface LaunchSpec {
  bin: string
  dir: string
  /** Cluster nodes also bind port + 10000. */
  needsBusPort: boolean
  password: string | undefined
  unixSocket: string | undefined
  logFile: string
  /** argv for a given port (may write a config file into `dir`). */
  argsFor(port: number): Promise<string[]>
}

const MAX_ATTEMPTS = 5
const READY_TIMEOUT_MS = 20_000

/**
 * Starts a server on a free port, waits until it answers PING and returns its handle.
 * A free port can be taken between the probe and the bind (`dependencies.md` §5), so an
 * "Address already in use" exit is retried on another port; other failures reject with the log tail.
 */
export async function launchRedisProcess(spec: LaunchSpec): Promise<RedisServerHandle> {
  recordSecret('Redis password', spec.password)
  for (let attempt = 1; ; attempt += 1) {
    const port = spec.needsBusPort ? await freePortWithBus() : await freePort()
    await rm(spec.logFile, { force: true })
    const proc = await spawnManaged(spec.bin, await spec.argsFor(port), {
      name: `${spec.bin}:${port}`,
      cwd: spec.dir,
    })
    let exitedEarly = false
    void proc.exited.then(() => (exitedEarly = true))
    try {
      await waitFor(
        async () => {
          if (exitedEarly) throw new Error(`${spec.bin} exited during startup`)
          return await isReady(port, spec.password)
        },
        { what: `${spec.bin} on port ${port} to answer PING`, timeoutMs: READY_TIMEOUT_MS }
      )
      if (!exitedEarly) return makeHandle(spec, port, proc)
    } catch {
      // Fall through: decide from the log whether another port helps.
    }
    await proc.stop()
    const log = await readFile(spec.logFile, 'utf8').catch(() => '')
    if (/Address already in use/i.test(log) && attempt < MAX_ATTEMPTS) continue
    await removeTempDir(spec.dir)
    const tail = log.trim().split('\n').slice(-8).join('\n')
    throw new Error(`${spec.bin} did not start on port ${port} (attempt ${attempt}):\n${tail}`)
  }
}

function makeHandle(spec: LaunchSpec, port: number, proc: ManagedProcess): RedisServerHandle {
  const target = { host: '127.0.0.1', port, password: spec.password }
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    dir: spec.dir,
    pid: proc.pid,
    unixSocket: spec.unixSocket,
    password: spec.password,
    logFile: spec.logFile,
    process: proc,
    cli: (...args) => runRedisCli(target, args),
    cliWith: (options, ...args) => runRedisCli(target, args, options),
    pause: () => sendSignal(proc, 'SIGSTOP'),
    resume: () => sendSignal(proc, 'SIGCONT'),
    kill: () => proc.kill(),
    stop: async () => {
      await proc.stop()
      await removeTempDir(spec.dir)
    },
  }
}

function sendSignal(proc: ManagedProcess, signal: NodeJS.Signals): void {
  if (proc.hasExited()) throw new Error(`${proc.name} has already exited`)
  process.kill(proc.pid, signal)
}
