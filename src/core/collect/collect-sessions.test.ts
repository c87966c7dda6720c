import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createServer, type Socket } from 'node:net'
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

function need<T>(value: T | undefined): T {
  assert.ok(value !== undefined, 'not set up')
  return value
}

/** A port on 127.0.0.1 that accepts connections and never answers nor closes them (`allowHalfOpen`). */
interface BlackHole {
  port: number
  /** Connections accepted so far. */
  accepted(): number
  close(): Promise<void>
}

async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>()
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  assert.ok(address !== null && typeof address === 'object')
  return {
    port: address.port,
    accepted: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Every client socket the process opens from now on (Node's `net.client.socket` channel). */
function watchClientSockets(): { sockets: Socket[]; open(): Socket[]; stop(): void } {
  const sockets: Socket[] = []
  const onSocket = (message: unknown) => {
    const socket = (message as { socket?: Socket }).socket
    if (socket !== undefined) sockets.push(socket)
  }
  subscribe('net.client.socket', onSocket)
  return {
    sockets,
    open: () => sockets.filter((socket) => !socket.destroyed),
    stop: () => unsubscribe('net.client.socket', onSocket),
  }
}
