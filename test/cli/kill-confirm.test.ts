import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { openLocalStore } from '../../src/cli/local-store.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { openNamedSessions, parseListedSessions, type NamedSessions } from './live-sessions.ts'
import { ensureCliBuilt } from './run-cli.ts'
import { skipOutsideCi } from '../support/skip-outside-ci.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const INSTANCE = 'r-cli-confirm'

/** `script(1)` (util-linux) gives the CLI a terminal on stdin, as an operator's shell does. */
function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Runs `redis-sessions <args>` on a pseudo-terminal, typing `answer` + Enter; resolves its output. */
async function runOnTerminal(args: readonly string[], answer: string) {
  const quoted = args.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ')
  const child = spawn('script', ['-qec', `node bin/redis-sessions.js ${quoted}`, '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stdin.end(`${answer}\n`)
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', resolve)
  }).finally(() => clearTimeout(timer))
  return { code, output }
}

// Without --dry-run and --yes, on a terminal: the dry-run list, a question, then the kill.
void describe(
  'redis-sessions kill asks for confirmation on a terminal',
  { skip: skipOutsideCi(!hasScript() && 'script(1) is not installed') },
  () => {
    let redis: RedisServerHandle | undefined
    let dataDir = ''
    let victims: NamedSessions | undefined
    const r = (): RedisServerHandle => redis ?? assert.fail('no redis')
    const names = async () =>
      parseListedSessions(await r().cli('CLIENT', 'LIST')).map((s) => s.name)
    const args = () => ['kill', INSTANCE, '--name', 'victim-*', '--data-dir', dataDir]

    before(async () => {
      await ensureCliBuilt()
      redis = await startRedisServer()
      dataDir = await makeTempDir('rs-cli-confirm-')
      const local = await openLocalStore({ dataDir, env: process.env })
      await local.store.instances
        .add({ instanceId: INSTANCE, topology: 'standalone', endpoints: [`127.0.0.1:${r().port}`] })
        .finally(() => local.close())
      victims = await openNamedSessions(r(), { count: 3, prefix: 'victim' })
    })
    after(async () => {
      await victims?.close()
      await redis?.stop()
      if (dataDir !== '') await removeTempDir(dataDir)
    })

    void it('kills nothing when the answer is not yes', async () => {
      const { code, output } = await runOnTerminal(args(), 'n')
      assert.equal(code, 2, output)
      assert.match(output, /would-kill 3/)
      assert.match(output, /Kill these 3 session\(s\) of r-cli-confirm\? \[y\/N\]/)
      assert.match(output, /aborted: nothing was killed/)
      assert.equal((await names()).filter((n) => n.startsWith('victim-')).length, 3)
    })

    void it('kills the listed sessions after yes', async () => {
      const { code, output } = await runOnTerminal(args(), 'y')
      assert.equal(code, 0, output)
      assert.match(output, /killed 3, would-kill 0, gone 0, protected 0, failed 0/)
      await waitFor(async () => !(await names()).some((n) => n.startsWith('victim-')), {
        what: 'victim-* to leave',
        timeoutMs: 5000,
      })
    })
  }
)
