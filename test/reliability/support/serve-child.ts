/**
 * `node bin/redis-sessions.js serve` as a child process (the built CLI, as an operator runs it),
 * for faults that take the whole process: SIGKILL, a data directory it cannot open. Its stdout and
 * stderr are kept (the tests grep them) and copied to a file in `.tmp/test-logs/` (searched for
 * secrets after the suite); it is killed when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { recordSecret } from '../../support/secrets.ts'
import { childLogStream } from '../../support/test-logs.ts'
import { ADMIN, ADMIN_PASSWORD } from './live-api.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'redis-sessions.js')
const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/** A started `serve` child. */
export interface ServeChild {
  /** `http://127.0.0.1:<port>`, from its `listening` log line. */
  url: string
  pid: number
  output(): string
  /** Resolves with the exit code or signal once it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  kill(signal?: NodeJS.Signals): void
}

/** The environment of a child (admin from live-api.ts, no sampler, no rate limit). */
export function serveEnv(masterKeyHex: string, extra: Record<string, string> = {}) {
  recordSecret('master key', masterKeyHex)
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: ADMIN.accessKeySecret,
    REDIS_SESSIONS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    REDIS_SESSIONS_MASTER_KEY: masterKeyHex,
    REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
    REDIS_SESSIONS_RATE_LIMIT: '0',
    ...extra,
  }
}

/**
 * Spawns `serve --port 0 --data-dir <dataDir>` (under `wrapper`, e.g. `taskset -c 0`) and
 * resolves once it logs `listening`; rejects with its output if it exits first or takes longer
 * than `timeoutMs` (default 60 s).
 */
export function startServeChild(
  dataDir: string,
  env: Record<string, string>,
  options: { timeoutMs?: number; wrapper?: readonly string[] } = {}
): Promise<ServeChild> {
  const timeoutMs = options.timeoutMs ?? 60_000
  // A wrapper that execs its command (`taskset -c 0`) keeps the pid of the server.
  const wrapper = options.wrapper ?? []
  const [command = process.execPath, ...wrapperArgs] = wrapper
  const args = [BIN, 'serve', '--port', '0', '--data-dir', dataDir]
  const child = spawn(
    command,
    wrapper.length === 0 ? args : [...wrapperArgs, process.execPath, ...args],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  )
  running.add(child)
  let text = ''
  const log = childLogStream('serve')
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolve({ code, signal })
    })
  )
  // 'close' comes after both pipes are drained: the file then holds everything the child wrote.
  child.once('close', () => log.end())
  const keep = (chunk: Buffer) => {
    text += chunk.toString('utf8')
    log.write(chunk)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`serve did not start within ${timeoutMs} ms:\n${text}`))
    }, timeoutMs)
    const onData = () => {
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)","store":"sqlite","msg":"listening"/.exec(
        text
      )
      if (url?.[1] === undefined || child.pid === undefined) return
      clearTimeout(timer)
      child.stdout.off('data', onData)
      resolve({
        url: url[1],
        pid: child.pid,
        output: () => text,
        exited,
        kill: (signal = 'SIGKILL') => void child.kill(signal),
      })
    }
    child.stdout.on('data', onData)
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`serve exited (${code ?? signal}) before listening:\n${text}`))
    })
  })
}

/** Runs `serve` expecting it to fail at start; resolves with its exit code and output. */
export async function failedServe(
  dataDir: string,
  env: Record<string, string>
): Promise<{ code: number | null; output: string }> {
  try {
    const started = await startServeChild(dataDir, env)
    started.kill()
    await started.exited
    return { code: 0, output: started.output() }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const code = /serve exited \((\d+)\)/.exec(message)?.[1]
    return { code: code === undefined ? null : Number(code), output: message }
  }
}
