import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { createSamplerLeadership } from '../../src/service/sampler-leadership.ts'
import { openStore } from '../../src/store/open-store.ts'
import {
  createAdvisoryLeadership,
  type AdvisoryLeadership,
} from '../../src/store/postgres/advisory-leadership.ts'
import {
  createPostgresNonceStore,
  type PostgresNonceStore,
} from '../../src/store/postgres/nonce-store.ts'
import { freePort } from '../support/free-port.ts'
import {
  createTestDatabase,
  postgresUnavailableReason,
  type TestDatabase,
} from './support/postgres-database.ts'
import { skipOutsideCi } from '../support/skip-outside-ci.ts'

/**
 * The two PostgreSQL pieces replicas coordinate through, on a real server: the shared nonce
 * store (`nonces` table of migration 0002) and the advisory-lock leadership of the sampler.
 */
const skip = postgresUnavailableReason()
const T0 = Date.UTC(2030, 0, 1)

void describe('replica coordination on PostgreSQL', { skip: skipOutsideCi(skip) }, () => {
  let db: TestDatabase | undefined
  const opened: { close(): Promise<void> }[] = []
  const url = (): string => db?.url ?? assert.fail('no database')
  const nonceStore = (now: () => number = () => T0, batch = 5000, batches = 20) => {
    const store = createPostgresNonceStore({
      connectionString: url(),
      purgeIntervalMs: 0,
      purgeBatchSize: batch,
      maxPurgeBatches: batches,
      now,
    })
    opened.push(store)
    return store
  }
  const leadership = (name: string, errors: unknown[] = [], connectionString = url()) => {
    const lock = createAdvisoryLeadership({
      connectionString,
      applicationName: name,
      timeoutMs: 3000,
      onError: (error) => errors.push(error),
    })
    opened.push(lock)
    return lock
  }
  const at = (ms: number) => new Date(T0 + ms)

  before(async () => {
    db = await createTestDatabase()
    // The server migrates through openStore; so do we (migration 0002 creates `nonces`).
    const store = await openStore({
      databaseUrl: db.url,
      dataDir: '/nonexistent',
      masterKey: randomBytes(32),
    })
    await store.close()
  })
  after(async () => {
    for (const item of opened.reverse()) await item.close()
    await db?.stop()
  })

  void describe('PostgreSQL nonce store', () => {
    void it('claims a nonce once across stores (replicas), per AccessKeyId', async () => {
      const [a, b] = [nonceStore(), nonceStore()]
      assert.equal(await a.claim('LTAIone', 'n-1', at(900_000)), true)
      assert.equal(await b.claim('LTAIone', 'n-1', at(900_000)), false)
      assert.equal(await a.claim('LTAIone', 'n-1', at(900_000)), false)
      assert.equal(await b.claim('LTAItwo', 'n-1', at(900_000)), true)
    })

    void it('lets exactly one of many concurrent claims of one nonce win', async () => {
      const stores = [nonceStore(), nonceStore(), nonceStore()]
      for (let round = 0; round < 5; round++) {
        const nonce = `race-${round}`
        const claims = Array.from({ length: 30 }, (_, i) =>
          (stores[i % stores.length] ?? assert.fail()).claim('LTAIrace', nonce, at(900_000))
        )
        const fresh = (await Promise.all(claims)).filter(Boolean)
        assert.equal(fresh.length, 1, `round ${round}`)
      }
    })

    void it('tells apart nonces PostgreSQL text could not hold (NUL) and non-ASCII ones', async () => {
      const store = nonceStore()
      for (const nonce of ['a\u0000b', 'a', 'ä\u0000', 'ä']) {
        assert.equal(
          await store.claim('LTAIbytes', nonce, at(900_000)),
          true,
          JSON.stringify(nonce)
        )
        assert.equal(
          await store.claim('LTAIbytes', nonce, at(900_000)),
          false,
          JSON.stringify(nonce)
        )
      }
    })

    void it('takes over an expired row not purged yet, and keeps nothing already expired', async () => {
      let now = T0
      const store = nonceStore(() => now)
      assert.equal(await store.claim('LTAIexp', 'old', at(1000)), true)
      now = T0 + 1000
      assert.equal(await store.claim('LTAIexp', 'old', at(901_000)), true, 'expired at now')
      assert.equal(await store.claim('LTAIexp', 'old', at(901_000)), false, 'claimed again')
      assert.equal(await store.claim('LTAIexp', 'past', at(500)), true)
      const rows = await db?.query<{ expires_at: number }>(
        "select expires_at::float8 as expires_at from nonces where access_key_id = 'LTAIexp' order by nonce"
      )
      assert.deepEqual(rows, [{ expires_at: T0 + 901_000 }], 'only the live claim is stored')
    })

    void it('purges expired rows in bounded batches and keeps the live ones', async () => {
      const store: PostgresNonceStore = nonceStore(() => T0, 2, 2)
      await db?.query('delete from nonces')
      for (let i = 0; i < 7; i++) assert.ok(await store.claim('LTAIpurge', `old-${i}`, at(10 + i)))
      for (let i = 0; i < 3; i++)
        assert.ok(await store.claim('LTAIpurge', `live-${i}`, at(900_000)))
      const later = T0 + 100
      assert.equal(await store.purgeExpired(later), 4, '2 batches of 2 at most')
      assert.equal(await store.purgeExpired(later), 3)
      assert.equal(await store.purgeExpired(later), 0)
      const left = await db?.query<{ nonce: Buffer }>('select nonce from nonces order by nonce')
      assert.deepEqual(
        left?.map((row) => row.nonce.toString()),
        ['live-0', 'live-1', 'live-2']
      )
    })
  })

  void describe('advisory-lock leadership', () => {
    void it('lets one session lead; the next leads once the leader closes', async () => {
      const [one, two] = [leadership('lead-one'), leadership('lead-two')]
      assert.equal(await one.tryLead(), true)
      assert.equal(await two.tryLead(), false)
      assert.equal(await one.tryLead(), true, 'a leader keeps leading')
      assert.equal(await two.tryLead(), false)
      await one.close()
      assert.equal(await two.tryLead(), true)
      assert.equal(one.isLeading(), false)
      await two.close()
    })

    void it('loses the lead with its connection; another session takes over', async () => {
      const errors: unknown[] = []
      const doomed: AdvisoryLeadership = leadership('lead-doomed', errors)
      const next = leadership('lead-next')
      assert.equal(await doomed.tryLead(), true)
      assert.equal(await next.tryLead(), false)
      const killed = await db?.query<{ ok: boolean }>(
        "select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = 'lead-doomed'"
      )
      assert.deepEqual(killed, [{ ok: true }])
      // The session ended, so the lock is free: the other session takes it at its next try…
      assert.equal(await next.tryLead(), true)
      // …and the old leader, whose connection is gone, does not lead any more.
      assert.equal(await doomed.tryLead(), false)
      assert.equal(doomed.isLeading(), false)
      assert.ok(errors.length > 0, 'the loss was reported')
      assert.equal(await next.tryLead(), true, 'the new leader keeps leading')
      await next.close()
      await doomed.close()
    })

    void it('reports an unreachable database as not leading, without throwing', async () => {
      const errors: unknown[] = []
      const port = await freePort()
      const lock = leadership('lead-nowhere', errors, `postgres://postgres@127.0.0.1:${port}/x`)
      assert.equal(await lock.tryLead(), false)
      assert.equal(errors.length, 1)
    })

    void it('as the sampler hook: logs who leads; SQLite always samples', async () => {
      const lines: Record<string, unknown>[] = []
      const logger = pino(
        { level: 'info' },
        { write: (line: string) => lines.push(parseObject(line)) }
      )
      const hook = createSamplerLeadership({ databaseUrl: url(), logger })
      opened.push(hook)
      assert.equal(await hook.shouldSample(), true)
      assert.equal(await hook.shouldSample(), true)
      assert.deepEqual(
        lines.map((line) => [line['msg'], line['leader']]),
        [['history sampler leadership acquired', true]]
      )
      const sqlite = createSamplerLeadership({ databaseUrl: undefined, logger })
      assert.equal(await sqlite.shouldSample(), true)
      await hook.close()
    })
  })
})

function parseObject(line: string): Record<string, unknown> {
  const value: unknown = JSON.parse(line)
  assert.ok(typeof value === 'object' && value !== null)
  return Object.fromEntries(Object.entries(value))
}
