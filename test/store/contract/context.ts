import assert from 'node:assert/strict'
import type { StoreErrorCode } from '../../../src/store/errors.ts'
import type { Store } from '../../../src/store/store.ts'

/** What the contract needs beyond `open` to look under a backend. */
export interface StoreBackend {
  /** Every byte the backend keeps for `store` (file contents, or every row as text). */
  rawBytes(store: Store): Promise<Buffer>
  /** Another Store on the same database as `store`; `masterKey` absent = the same key. */
  reopen(store: Store, masterKey?: Buffer): Promise<Store>
}

/** Passed to every part of the contract. */
export interface ContractContext {
  open: () => Promise<Store>
  backend: StoreBackend
}

/** Runs `fn` on a fresh store and always closes it. */
export async function withStore(
  ctx: ContractContext,
  fn: (store: Store) => Promise<void>
): Promise<void> {
  const store = await ctx.open()
  try {
    await fn(store)
  } finally {
    await store.close()
  }
}

/** Asserts that `promise` rejects with a store error of `code` (and, if given, `entity`). */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: StoreErrorCode,
  entity?: string
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof Error, 'an Error')
    assert.ok('code' in err, `a coded error, got ${String(err)}`)
    assert.equal(err.code, code, err.message)
    if (entity !== undefined) assert.ok('entity' in err && err.entity === entity, err.message)
    return true
  })
}

/** Asserts that the raw bytes of `store` contain `present` and none of `absent`. */
export async function assertRaw(
  ctx: ContractContext,
  store: Store,
  present: string,
  absent: string[]
): Promise<void> {
  const raw = await ctx.backend.rawBytes(store)
  // The positive control proves we are reading the right bytes at all.
  assert.ok(raw.includes(present), `raw store bytes should contain ${present}`)
  for (const secret of absent) {
    assert.ok(!raw.includes(secret), 'a secret is stored in plain text')
    assert.ok(!raw.includes(Buffer.from(secret).toString('base64')), 'a secret is stored base64')
    assert.ok(!raw.includes(Buffer.from(secret).toString('hex')), 'a secret is stored as hex')
  }
}
