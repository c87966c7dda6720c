import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ApiError } from '../errors/api-error.ts'
import { createMemoryNonceStore } from './nonce-store.ts'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

const T0 = Date.parse('2024-01-01T00:00:00Z')
const MINUTE = 60_000

/** A store on a clock the test moves by hand. */
function storeAt(options: { maxEntries?: number; bucketMs?: number } = {}) {
  const clock = { now: T0 }
  const store = createMemoryNonceStore({ ...options, now: () => clock.now })
  const until = (ms: number) => new Date(T0 + ms)
  return { clock, store, until }
}

describe('createMemoryNonceStore', () => {
  it('accepts a nonce once per AccessKeyId', async () => {
    const { store, until } = storeAt()
    assert.equal(await store.claim('AK1', 'n', until(15 * MINUTE)), true)
    assert.equal(await store.claim('AK1', 'n', until(15 * MINUTE)), false)
    assert.equal(await store.claim('AK2', 'n', until(15 * MINUTE)), true)
    assert.equal(await store.claim('AK1', 'm', until(15 * MINUTE)), true)
  })

  it('does not confuse (id, nonce) pairs whose concatenations are equal', async () => {
    const { store, until } = storeAt()
    assert.equal(await store.claim('AK1', '2x', until(MINUTE)), true)
    assert.equal(await store.claim('AK12', 'x', until(MINUTE)), true)
  })

  it('remembers a nonce until it expires, and no longer', async () => {
    const { clock, store, until } = storeAt()
    await store.claim('AK1', 'n', until(15 * MINUTE))
    clock.now = T0 + 15 * MINUTE - 1
    assert.equal(await store.claim('AK1', 'n', until(15 * MINUTE)), false)
    clock.now = T0 + 15 * MINUTE
    assert.equal(await store.claim('AK1', 'n', until(30 * MINUTE)), true)
    assert.equal(await store.claim('AK1', 'n', until(30 * MINUTE)), false)
  })

  it('refuses with Throttling and x-acs-retry-after when full of unexpired nonces', async () => {
    const { store, until } = storeAt({ maxEntries: 2, bucketMs: 1000 })
    await store.claim('AK1', 'a', until(10 * MINUTE))
    await store.claim('AK1', 'b', until(15 * MINUTE))
    await assert.rejects(store.claim('AK1', 'c', until(15 * MINUTE)), (error: unknown) => {
      assert.ok(error instanceof ApiError)
      assert.equal(error.code, 'Throttling')
      assert.deepEqual(error.headers, { 'x-acs-retry-after': '600' })
      return true
    })
    // Still remembered: being full never makes a replay pass.
    assert.equal(await store.claim('AK1', 'a', until(10 * MINUTE)), false)
    assert.equal(await store.claim('AK1', 'b', until(15 * MINUTE)), false)
  })

  it('evicts expired nonces to make room', async () => {
    const { clock, store, until } = storeAt({ maxEntries: 2, bucketMs: 1000 })
    await store.claim('AK1', 'a', until(MINUTE))
    await store.claim('AK1', 'b', until(15 * MINUTE))
    clock.now = T0 + MINUTE
    assert.equal(await store.claim('AK1', 'c', until(16 * MINUTE)), true)
    assert.equal(await store.claim('AK1', 'b', until(15 * MINUTE)), false)
    await assert.rejects(store.claim('AK1', 'd', until(16 * MINUTE)), { code: 'Throttling' })
  })

  it('keeps a nonce claimed again after expiring when its old bucket is evicted', async () => {
    const { clock, store, until } = storeAt({ maxEntries: 2, bucketMs: 1000 })
    await store.claim('AK1', 'a', until(1000))
    clock.now = T0 + 1000
    assert.equal(await store.claim('AK1', 'a', until(MINUTE)), true)
    await store.claim('AK1', 'b', until(MINUTE))
    clock.now = T0 + 2000
    await assert.rejects(store.claim('AK1', 'c', until(MINUTE)), { code: 'Throttling' })
    assert.equal(await store.claim('AK1', 'a', until(MINUTE)), false)
  })

  it('does not store a nonce whose window has already passed', async () => {
    const { store, until } = storeAt({ maxEntries: 1 })
    assert.equal(await store.claim('AK1', 'old', until(0)), true)
    assert.equal(await store.claim('AK1', 'new', until(MINUTE)), true)
  })

  it('validates its options', () => {
    assert.throws(() => createMemoryNonceStore({ maxEntries: 0 }), RangeError)
    assert.throws(() => createMemoryNonceStore({ bucketMs: 0.5 }), RangeError)
  })
})

describe('createMemoryNonceStore memory', () => {
  it('keeps no part of the text a nonce was sliced from (V8 sliced strings)', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const store = createMemoryNonceStore()
    const settle = () => {
      gc()
      gc()
      return process.memoryUsage().heapUsed
    }
    const before = settle()
    // 200 request texts of 256 KiB each (50 MiB): a store that kept them would hold them all.
    for (let i = 0; i < 200; i++) {
      const text = `${'x'.repeat(256 * 1024)}${String(i).padStart(32, '0')}`
      const nonce = text.slice(-32)
      assert.equal(await store.claim('AKmemory', nonce, new Date(Date.now() + 600_000)), true)
    }
    const grown = settle() - before
    assert.ok(grown < 5 * 1024 * 1024, `the store grew by ${(grown / 2 ** 20).toFixed(1)} MiB`)
    assert.equal(
      await store.claim('AKmemory', '0'.repeat(31) + '7', new Date(Date.now() + 600_000)),
      false
    )
  })
})
