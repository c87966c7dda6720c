import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { ensureCliBuilt } from '../../cli/run-cli.ts'
import { makeTempDir } from '../../support/processes.ts'
import { recordSecret } from '../../support/secrets.ts'
import { childLogStream } from '../../support/test-logs.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
/** The built server, as `npx redis-sessions serve` runs it. */
const BIN = join(ROOT, 'bin', 'redis-sessions.js')
const START_TIMEOUT_MS = 60_000

/** The admin every replica bootstraps from its environment (contract §7). */
export const ADMIN = {
  userName: 'admin',
  password: 'replicas-admin-password-1',
  accessKeyId: 'LTAIreplicasadmin0001',
  accessKeySecret: 'replicas-admin-secret-0123456789abc',
} as const
recordSecret('replicas admin AccessKeySecret', ADMIN.accessKeySecret)
recordSecret('replicas admin console password', ADMIN.password)

/** One pino line of a replica's stdout. */
export type LogLine = Readonly<Record<string, unknown>>

/** A `redis-sessions serve` child process. */
export interface Replica {
  readonly name: string
  readonly pid: number
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** Every JSON line it logged so far. */
  logs(): readonly LogLine[]
  /** Log lines whose `msg` is `msg`. */
  logged(msg: string): LogLine[]
  hasExited(): boolean
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>
  /** SIGTERM (graceful), SIGKILL after a grace; waits for the exit. */
  stop(): Promise<void>
}

/** Environment shared by the replicas of one deployment. */
export interface DeploymentEnv {
  /** `DATABASE_URL`; absent = SQLite in the replica's own data directory. */
  databaseUrl?: string | undefined
  /** `REDIS_SESSIONS_MASTER_KEY`, the same on every replica. */
  masterKey: string
  /** More variables (e.g. `REDIS_SESSIONS_HISTORY_INTERVAL_S`). */
  env?: Readonly<Record<string, string>> | undefined
  /** Keep (parse) every log line; false = only wait for `listening` (load runs). Default true. */
  keepLogs?: boolean | undefined
}

/** A random master key (64 hex characters) for one test deployment. */
export function newMasterKey(): string {
  return randomBytes(32).toString('hex')
}

const live = new Set<ChildProcess>()
let hooked = false

/**
 * Starts the built server on port 0 of 127.0.0.1 with its own data directory and returns once
 * it logged `listening` (with the bound URL). Killed at process exit if the test forgets it.
 */
export async function startReplica(name: string, deployment: DeploymentEnv): Promise<Replica> {
  await ensureCliBuilt()
  if (!hooked) {
    hooked = true
    process.on('exit', () => live.forEach((child) => child.kill('SIGKILL')))
  }
  const dataDir = await makeTempDir(`rs-replica-${name}-`)
  recordSecret('master key', deployment.masterKey)
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    HOST: '127.0.0.1',
    PORT: '0',
    REDIS_SESSIONS_DATA_DIR: dataDir,
    REDIS_SESSIONS_MASTER_KEY: deployment.masterKey,
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: ADMIN.accessKeySecret,
    REDIS_SESSIONS_ADMIN_PASSWORD: ADMIN.password,
    ...(deployment.databaseUrl === undefined ? {} : { DATABASE_URL: deployment.databaseUrl }),
    ...deployment.env,
  }
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  live.add(child)
  const pid = child.pid ?? 0
  const lines: LogLine[] = []
  let stderr = ''
  let exitedFlag = false
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exitedFlag = true
      live.delete(child)
      resolve()
    })
  )
  // Everything it writes is also kept in .tmp/test-logs/ (searched for secrets after the suite).
  const log = childLogStream(`replica-${name}`)
  child.once('close', () => log.end())
  child.stdout.on('data', (chunk: Buffer) => log.write(chunk))
  child.stderr.on('data', (chunk: Buffer) => {
    log.write(chunk)
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  let onListening: (url: string) => void = () => undefined
  const listening = new Promise<string>((resolve) => (onListening = resolve))
  const keepLogs = deployment.keepLogs ?? true
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!keepLogs && !line.includes('"msg":"listening"')) return
    const parsed = parseLine(line)
    if (parsed === undefined) return
    lines.push(parsed)
    if (parsed['msg'] === 'listening' && typeof parsed['url'] === 'string')
      onListening(parsed['url'])
  })
  const failed = exited.then(() => {
    throw new Error(`replica ${name} exited before listening: ${stderr || JSON.stringify(lines)}`)
  })
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`replica ${name} did not listen`)), START_TIMEOUT_MS)
  })
  const kill = async (): Promise<void> => {
    if (!exitedFlag) child.kill('SIGKILL')
    await exited
  }
  let url: string
  try {
    url = await Promise.race([listening, failed, timedOut])
  } catch (error) {
    await kill()
    throw error
  } finally {
    clearTimeout(timer)
  }
  failed.catch(() => undefined)
  return {
    name,
    pid,
    url,
    logs: () => lines,
    logged: (msg) => lines.filter((line) => line['msg'] === msg),
    hasExited: () => exitedFlag,
    kill,
    async stop() {
      if (exitedFlag) return
      child.kill('SIGTERM')
      const grace = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(grace)
    },
  }
}

function parseLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value))
      : undefined
  } catch {
    return undefined
  }
}
