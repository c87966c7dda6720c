import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  startBlackHole,
  watchClientSockets,
  type BlackHole,
} from '../../../test/support/black-hole.ts'
import { need } from '../../../test/support/need.ts'
import type { RedisNode } from '../topology/topology.ts'
import {
  collectDeadlineMs,
  collectSessions,
  COLLECT_DEADLINE_MARGIN_MS,
  DEFAULT_COLLECT_DEADLINE_MS,
} from './collect-sessions.ts'

void describe('collectDeadlineMs', () => {
  void it('is 10 s for short per-node timeouts', () => {
    assert.equal(collectDeadlineMs({ connectTimeoutMs: 3000, commandTimeoutMs: 3000 }), 10_000)
    assert.equal(DEFAULT_COLLECT_DEADLINE_MS, 10_000)
  })

  void it('leaves one node its connect and command budgets plus a margin when they are longer', () => {
    const connection = { connectTimeoutMs: 20_000, commandTimeoutMs: 20_000 }
    assert.equal(collectDeadlineMs(connection), 40_000 + COLLECT_DEADLINE_MARGIN_MS)
    assert.ok(COLLECT_DEADLINE_MARGIN_MS > 0)
  })
})

void describe('collectSessions at the overall deadline', () => {
  let hole: BlackHole | undefined
  const node = (): RedisNode => ({
    nodeId: `t-proxy-0#${need(hole).port}`,
    address: { kind: 'tcp', host: '127.0.0.1', port: need(hole).port },
    role: 'proxy',
    shard: 0,
  })

  before(async () => {
    hole = await startBlackHole()
  })
  after(async () => {
    await hole?.close()
  })

  void it('abandons a connection still opening: Timeout naming the deadline, socket destroyed', async () => {
    const watch = watchClientSockets()
    try {
      const connection = { connectTimeoutMs: 60_000, commandTimeoutMs: 60_000 }
      const [outcome] = await collectSessions([node()], { connection, deadlineMs: 300 })
      assert.ok(outcome !== undefined && !outcome.ok)
      assert.equal(outcome.error.code, 'Timeout')
      assert.match(outcome.error.message, /before the collection deadline$/)
      assert.equal(watch.sockets.length, 1)
      assert.deepEqual(watch.open(), [], 'the opening connection was destroyed at the deadline')
    } finally {
      watch.stop()
    }
  })

  void it('reports the per-node timeout, not the deadline, when no deadline is given', async () => {
    const watch = watchClientSockets()
    try {
      const connection = { connectTimeoutMs: 200, commandTimeoutMs: 200 }
      const [outcome] = await collectSessions([node()], { connection })
      assert.ok(outcome !== undefined && !outcome.ok)
      assert.equal(outcome.error.code, 'Timeout')
      assert.match(outcome.error.message, /200 ms$/)
      assert.deepEqual(watch.open(), [])
    } finally {
      watch.stop()
    }
  })
})
