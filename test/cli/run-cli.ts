import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * CLI tests spawn the **built** binary (`bin/redis-sessions.js` → `dist/cli/main.js`), as a user
 * runs it (style.md §6). `npm test` builds before it tests; when run alone, a test file builds
 * once in `before()` through `ensureCliBuilt()` if `dist/` is missing or older than any file in
 * `src/` (one build at a time across parallel test files, serialised by a lock directory).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'redis-sessions.js')
const BUILT_MAIN = join(ROOT, 'dist', 'cli', 'main.js')
const LOCK = join(ROOT, '.tmp', 'cli-build.lock')

/** What one CLI run printed and how it ended. */
export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Builds `dist/` when it is missing or stale; safe to call from several test files at once. */
export async function ensureCliBuilt(): Promise<void> {
  if (await isFresh()) return
  await mkdir(join(ROOT, '.tmp'), { recursive: true })
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      await mkdir(LOCK)
      break
    } catch {
      if (Date.now() > deadline) throw new Error(`could not take the build lock ${LOCK}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    if (await isFresh()) return
    const started = Date.now()
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
    const failure = await new Promise<string | undefined>((resolve) => {
      execFile(
        process.execPath,
        [tsc, '-p', 'tsconfig.build.json'],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve(error === null ? undefined : `${stdout}${stderr}`)
      )
    })
    if (failure === undefined) return
    // tsc still emits on type errors; those are the typecheck step's to report, not the CLI tests'.
    const built = await stat(BUILT_MAIN).catch(() => undefined)
    if (built === undefined || built.mtimeMs < started - 1000) {
      throw new Error(`npm run build failed:\n${failure}`)
    }
    process.stderr.write(`warning: the build reported type errors (CLI tests go on):\n${failure}`)
  } finally {
    await rmdir(LOCK).catch(() => undefined)
  }
}

async function isFresh(): Promise<boolean> {
  const built = await stat(BUILT_MAIN).catch(() => undefined)
  if (built === undefined) return false
  const entries = await readdir(join(ROOT, 'src'), { recursive: true })
  for (const entry of entries) {
    if (!entry.endsWith('.ts') || entry.endsWith('.test.ts')) continue
    const source = await stat(join(ROOT, 'src', entry)).catch(() => undefined)
    if (source !== undefined && source.mtimeMs > built.mtimeMs) return false
  }
  return true
}

/** How `runCli` runs the binary. */
export interface RunOptions {
  /** Added to the environment (`NO_COLOR=1` and this process's variables otherwise). */
  env?: NodeJS.ProcessEnv
  /** Close the read end of stdout at once: the CLI's writes fail with EPIPE (`| head`). */
  closeStdout?: boolean
  /** The same for stderr. */
  closeStderr?: boolean
}

/** Starts `redis-sessions <args>` with piped stdout and stderr; the caller ends it. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  // A COLUMNS exported by the shell that runs the tests would fit every table to it.
  const { COLUMNS: _inherited, ...inherited } = process.env
  return spawn(process.execPath, [BIN, ...args], {
    // Not the repository: nothing a run might write (a default ./data store) lands in it.
    cwd: tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...inherited, NO_COLOR: '1', ...env },
  })
}

/** Runs `redis-sessions <args>`; kills it after `timeoutMs` (default 30 s) and fails the test. */
export async function runCli(
  args: readonly string[],
  timeoutMs = 30_000,
  options: RunOptions = {}
): Promise<CliResult> {
  const child = startCli(args, options.env)
  const { stdout: out, stderr: err } = child
  assert.ok(out !== null && err !== null)
  let stdout = ''
  let stderr = ''
  if (options.closeStdout === true) out.destroy()
  else out.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  if (options.closeStderr === true) err.destroy()
  else err.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, timeoutMs)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve, reject) => {
      child.once('error', reject)
      child.once('close', (c: number | null, s: NodeJS.Signals | null) => resolve([c, s]))
    }
  ).finally(() => clearTimeout(timer))
  if (timedOut) {
    assert.fail(`redis-sessions ${args.join(' ')} ran over ${timeoutMs} ms:\n${stdout}${stderr}`)
  }
  return { code, signal, stdout, stderr }
}

/** Runs the CLI and asserts success (exit 0, nothing on stderr); returns stdout. */
export async function runCliOk(args: readonly string[]): Promise<string> {
  const result = await runCli(args)
  assert.equal(result.code, 0, `exit code of ${args.join(' ')}; stderr: ${result.stderr}`)
  assert.equal(result.stderr, '')
  return result.stdout
}

/**
 * Asserts a failure as an operator must see it: exit 2, nothing on stdout, ONE stderr line
 * `redis-sessions: …` naming `node` and matching `cause`, no stack trace, no secret anywhere.
 */
export function assertOneLineFailure(
  result: CliResult,
  expected: { node?: string; cause: RegExp; secrets?: readonly string[] }
): void {
  const all = result.stdout + result.stderr
  for (const secret of expected.secrets ?? []) {
    assert.ok(!all.includes(secret), `secret printed: ${all}`)
  }
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`)
  assert.equal(result.stdout, '')
  const lines = result.stderr.split('\n')
  assert.equal(lines.length, 2, `one stderr line ending in \\n, got: ${JSON.stringify(lines)}`)
  const [line = ''] = lines
  assert.match(line, /^redis-sessions: /)
  assert.doesNotMatch(line, /\bat .*\(|node:internal|\.ts:\d+|\.js:\d+/, 'a stack trace')
  if (expected.node !== undefined) assert.ok(line.includes(expected.node), line)
  assert.match(line, expected.cause)
}
