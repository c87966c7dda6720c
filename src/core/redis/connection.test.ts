import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  startBlackHole,
  watchClientSockets,
  type BlackHole,
} from '../../../test/support/black-hole.ts'
import { need } from '../../../test/support/need.ts'
import { waitFor } from '../../../test/support/wait.ts'
import { CollectTimeoutError, CoreError } from '../errors.ts'
import { openConnection } from './connection.ts'

void describe('openConnection: no socket outlives a failed attempt', () => {
  let hole: BlackHole | undefined
  const address = () => ({ kind: 'tcp' as const, host: '127.0.0.1', port: need(hole).port })

  before(async () => {
    hole = await startBlackHole()
  })
  after(async () => {
    await hole?.close()
  })

  void it('destroys the socket when connect and authenticate time out', async () => {
    const watch = watchClientSockets()
    try {
      const options = { connectTimeoutMs: 200, commandTimeoutMs: 200 }
      await assert.rejects(openConnection(address(), options), (error: unknown) => {
        assert.ok(error instanceof CoreError)
        assert.equal(error.code, 'Timeout')
        assert.match(error.message, /took longer than 200 ms$/)
        return true
      })
      assert.equal(watch.sockets.length, 1, 'one socket was opened')
      // Ended is not enough: a peer that never closes would hold it (and the process) open.
      assert.deepEqual(watch.open(), [])
    } finally {
      watch.stop()
    }
  })

  void it('rejects with the reason of an aborted signal and destroys the socket', async () => {
    const watch = watchClientSockets()
    try {
      const abort = new AbortController()
      const accepted = need(hole).accepted()
      const options = { connectTimeoutMs: 60_000, commandTimeoutMs: 60_000 }
      const opening = openConnection(address(), options, abort.signal)
      await waitFor(() => Promise.resolve(need(hole).accepted() > accepted), {
        what: 'the black hole to accept the connection',
        timeoutMs: 5000,
        intervalMs: 10,
      })
      const reason = new CollectTimeoutError('deadline passed', 'x')
      abort.abort(reason)
      await assert.rejects(opening, (error: unknown) => error === reason)
      assert.equal(watch.sockets.length, 1)
      assert.deepEqual(watch.open(), [])
    } finally {
      watch.stop()
    }
  })

  void it('does not connect at all with a signal already aborted', async () => {
    const watch = watchClientSockets()
    try {
      const reason = new CollectTimeoutError('deadline passed', 'x')
      const options = { connectTimeoutMs: 1000, commandTimeoutMs: 1000 }
      await assert.rejects(openConnection(address(), options, AbortSignal.abort(reason)), (e) => {
        return e === reason
      })
      assert.equal(watch.sockets.length, 0)
    } finally {
      watch.stop()
    }
  })
})
