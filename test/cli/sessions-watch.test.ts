import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startRedisServers, type RedisServerHandle } from '../support/redis-server.ts'
import { startBlackHole, socketsTo, type BlackHole } from './black-hole.ts'
import { openNamedSessions, type NamedSessions } from './live-sessions.ts'
import { ensureCliBuilt } from './run-cli.ts'
import { assertFrameHeader, startWatch, type WatchRun } from './watch-run.ts'

/** The lines of a frame after its header. */
const body = (frame: string) => frame.trimEnd().split('\n').slice(1)

void describe('redis-sessions sessions --watch: keeps refreshing through failures', () => {
  let servers: RedisServerHandle[] = []
  let sessions: NamedSessions[] = []
  let hole: BlackHole | undefined
  const runs: WatchRun[] = []
  const a = () => servers[0] ?? assert.fail('no server a')
  const b = () => servers[1] ?? assert.fail('no server b')
  const watch = (args: string[]) => {
    const run = startWatch(args)
    runs.push(run)
    return run
  }

  before(async () => {
    await ensureCliBuilt()
    servers = await startRedisServers(2)
    sessions = await Promise.all([
      openNamedSessions(a(), { count: 3, prefix: 'wa' }),
      openNamedSessions(b(), { count: 3, prefix: 'wb' }),
    ])
    hole = await startBlackHole()
  })
  after(async () => {
    await Promise.all(runs.map((run) => run.stop()))
    for (const server of servers) if (!server.process.hasExited()) server.resume()
    await Promise.all(sessions.map((s) => s.close()))
    await Promise.all(servers.map((s) => s.stop()))
    await hole?.close()
  })

  void it('shows a failed discovery in place, one line with the time, and recovers', async () => {
    const run = watch(['sessions', a().url, '--watch', '1', '--timeout', '300'])
    const listed = await run.nextFrame('a frame listing wa-0', (f) => f.includes(' wa-0 '))
    assertFrameHeader(listed, 1)
    assert.match(body(listed)[0] ?? '', /^NODE\s+ID\s+ADDR\s+NAME/)
    a().pause()
    let failed: string
    try {
      failed = await run.nextFrame('a frame with the failure', (f) => /^failed: /m.test(f))
    } finally {
      a().resume()
    }
    assertFrameHeader(failed, 1)
    assert.deepEqual(body(failed), [
      `failed: topology detection: 127.0.0.1:${a().port}: connect and authenticate took longer than 300 ms`,
    ])
    const again = await run.nextFrame('a frame listing wa-0 again', (f) => f.includes(' wa-0 '))
    assertFrameHeader(again, 1)
    assert.equal(run.child.exitCode, null, 'still running')
    assert.equal(run.stderr(), '')
  })

  void it('every node failing is a frame too; a partial round shows the table and the failed node', async () => {
    const url = `redis://127.0.0.1:${a().port},127.0.0.1:${b().port}`
    const [nodeA, nodeB] = [`cli-proxy-0#${a().port}`, `cli-proxy-1#${b().port}`]
    const run = watch(['sessions', url, '--nodes', '--watch', '1', '--timeout', '300'])
    await run.nextFrame('both nodes listed', (f) => f.includes(' wa-0 ') && f.includes(' wb-0 '))
    b().pause()
    try {
      const partial = await run.nextFrame('b failed, a listed', (f) =>
        f.includes(`${nodeB} failed`)
      )
      assert.ok(partial.includes(' wa-0 ') && !partial.includes(' wb-0 '), partial)
      assert.match(body(partial).at(-1) ?? '', new RegExp(`^node ${nodeB} failed: .*300 ms$`))
      a().pause()
      try {
        const none = await run.nextFrame('both failed', (f) => /^failed: /m.test(f))
        assertFrameHeader(none, 1)
        const lines = body(none)
        assert.equal(lines.length, 1, none)
        assert.match(
          lines[0] ?? '',
          new RegExp(`^failed: node ${nodeA} failed: .*300 ms; node ${nodeB} failed: .*300 ms$`)
        )
      } finally {
        a().resume()
      }
    } finally {
      b().resume()
    }
    await run.nextFrame('both listed again', (f) => f.includes(' wa-0 ') && f.includes(' wb-0 '))
    assert.equal(run.child.exitCode, null, 'still running')
    assert.equal(run.stderr(), '')
  })

  void it('holds no socket to a node that never answers once its timeout has passed', async (t) => {
    const port = (hole ?? assert.fail('no black hole')).port
    const run = watch(['sessions', `redis://127.0.0.1:${port}`, '--watch', '3', '--timeout', '200'])
    const pid = run.child.pid ?? assert.fail('no pid')
    for (let round = 1; round <= 2; round++) {
      const frame = await run.nextFrame(`failure frame ${round}`, (f) => /^failed: /m.test(f))
      // Read at once: the next round starts only 3 s after this frame.
      const held = await socketsTo(pid, port)
      if (held === undefined) return t.skip('no /proc here')
      assert.equal(held, 0, `round ${round}: the timed-out socket is closed before the frame`)
      assert.match(frame, /took longer than 200 ms/)
      assert.ok((hole?.accepted() ?? 0) >= round, 'each round connected')
    }
  })
})
