import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** How a managed process ended. */
export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

/** A child process that is registered for cleanup from the moment it is spawned. */
export interface ManagedProcess {
  readonly name: string
  readonly pid: number
  readonly child: ChildProcess
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>
  hasExited(): boolean
  /** SIGTERM (plus SIGCONT, so a paused process can act on it), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>
  /** SIGKILL now; does not wait. */
  kill(): void
}

/** Grace between SIGTERM and SIGKILL: throwaway test servers have nothing worth waiting for. */
export const DEFAULT_STOP_GRACE_MS = 1500

const live = new Set<ManagedProcess>()
const tempDirs = new Set<string>()
let hooksInstalled = false

/**
 * Spawns `command` with stdio ignored (background servers must not hold pipes open, `redis.md` §12)
 * and registers it: it is killed on `stopAll()`, on process exit and on SIGINT/SIGTERM.
 * The child is unref'd so a test that forgets to stop it still lets the process end (and the exit hook kills it).
 * Rejects when the command cannot be started (e.g. not on PATH).
 */
export async function spawnManaged(
  command: string,
  args: readonly string[],
  options: { name?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}
): Promise<ManagedProcess> {
  installExitHooks()
  const child = spawn(command, args, {
    stdio: 'ignore',
    cwd: options.cwd,
    env: options.env ?? process.env,
  })
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', (error) => reject(new Error(`cannot start ${command}: ${error.message}`)))
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`${command} started without a pid`)
  child.unref()
  let done = false
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true
      live.delete(managed)
      resolve({ code, signal })
    })
  })
  const managed: ManagedProcess = {
    name: options.name ?? command,
    pid,
    child,
    exited,
    hasExited: () => done,
    kill: () => {
      if (!done) signalQuietly(pid, 'SIGKILL')
    },
    stop: async (graceMs = DEFAULT_STOP_GRACE_MS) => {
      if (done) return
      signalQuietly(pid, 'SIGTERM')
      signalQuietly(pid, 'SIGCONT')
      // A ref'd timer keeps the event loop alive while we wait on the unref'd child.
      if (!(await exitsWithin(exited, graceMs))) signalQuietly(pid, 'SIGKILL')
      await exited
    },
  }
  live.add(managed)
  return managed
}

/** Creates a temp directory that is removed by `removeTempDir`, `stopAll` or at process exit. */
export async function makeTempDir(prefix = 'redis-sessions-test-'): Promise<string> {
  installExitHooks()
  const dir = await mkdtemp(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

/** Removes a directory made by `makeTempDir`. */
export async function removeTempDir(dir: string): Promise<void> {
  tempDirs.delete(dir)
  await rm(dir, { recursive: true, force: true })
}

/** Stops every registered process and removes every temp directory. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()))
  await Promise.all([...tempDirs].map(removeTempDir))
}

/** Processes spawned here that have not exited yet. */
export function liveProcesses(): ManagedProcess[] {
  return [...live]
}

/** True while `pid` exists (signal 0 probes without signalling). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM means it exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM'
  }
}

function exitsWithin(exited: Promise<ExitInfo>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    void exited.then(() => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // Already gone: nothing to do.
  }
}

/** Synchronous: runs from 'exit' and signal handlers, where awaiting is impossible. */
function cleanupNow(): void {
  for (const p of live) signalQuietly(p.pid, 'SIGKILL')
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
}

function installExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  process.on('exit', cleanupNow)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      cleanupNow()
      process.removeListener(signal, onSignal)
      // Someone else (e.g. the test runner) handles the signal; otherwise restore the default: die by it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
    }
    process.on(signal, onSignal)
  }
}
