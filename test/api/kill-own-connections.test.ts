import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openClient, parseListedSessions } from '../cli/live-sessions.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { listedSessions, sessionItems } from './support/session-items.ts'
import { dataOf, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-own'
const VICTIMS = 12
/** Kills and dry runs sent at once, per round; each opens its own listing and kill connections. */
const PARALLEL_KILLS = 16
const PARALLEL_DRY_RUNS = 16
const ROUNDS = 5
/** GetRedisAllSession calls among them: listings leave the service's connections out too. */
const PARALLEL_LISTINGS = 8

interface Item {
  Id: number
  Name: string
  Result: string
  Reason?: string
}

function itemsOf(data: unknown): Item[] {
  return sessionItems(data).map((item) => {
    const { Id, Name, Result, Reason } = item
    assert.ok(typeof Id === 'number' && typeof Name === 'string' && typeof Result === 'string')
    return { Id, Name, Result, ...(typeof Reason === 'string' ? { Reason } : {}) }
  })
}

// The service's connections are unnamed sessions until their handshake names them: concurrent
// calls must neither list nor kill each other's connections (a filter on the client address and
// flag N matches them as well as any application session).
void describe('KillRedisSessions never touches the service’s own connections, even mid-handshake', () => {
  let server: RedisServerHandle | undefined
  let test: TestApp | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const s = (): RedisServerHandle => server ?? assert.fail('no server')

  before(async () => {
    server = await startRedisServer({ password: 'own-secret' })
    test = await createTestApp()
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${s().port}`],
      password: 'own-secret',
    })
  })
  after(async () => {
    await test?.close()
    await server?.stop()
  })

  const call = async (params: Record<string, string>): Promise<Item[]> =>
    itemsOf(
      dataOf(
        await signedInject(t().app, {
          action: 'KillRedisSessions',
          params: { InstanceId: INSTANCE, ...params },
          ...t().admin,
        })
      )
    )

  const listedIds = async (): Promise<number[]> =>
    (await listedSessions(t(), INSTANCE)).map((session) => Number(session['Id']))

  for (let round = 1; round <= ROUNDS; round++) {
    void it(`round ${round}: ${PARALLEL_KILLS} kills and ${PARALLEL_DRY_RUNS} dry runs at once kill and list only the victims`, async () => {
      const victims = await Promise.all(
        Array.from({ length: VICTIMS }, (_, i) => openClient(s(), `victim-${round}-${i}`))
      )
      try {
        const listed = parseListedSessions(await s().cli('CLIENT', 'LIST'))
        const victimIds = new Set(
          listed.filter((x) => x.name.startsWith(`victim-${round}-`)).map((x) => x.id)
        )
        assert.equal(victimIds.size, VICTIMS)
        const filter = { ClientIp: '127.0.0.1', Flags: 'N' }
        const [runs, listings] = await Promise.all([
          Promise.all([
            ...Array.from({ length: PARALLEL_KILLS }, () => call(filter)),
            ...Array.from({ length: PARALLEL_DRY_RUNS }, () => call({ ...filter, DryRun: 'true' })),
          ]),
          Promise.all(Array.from({ length: PARALLEL_LISTINGS }, () => listedIds())),
        ])
        const notVictims = listings.flat().filter((id) => !victimIds.has(id))
        assert.deepEqual(notVictims, [], 'listings show no connection of the service')
        const items = runs.flat()
        // Nothing but victims (and the redis-cli verifier above, long gone) is ever listed.
        const strangers = items.filter((item) => !victimIds.has(item.Id))
        assert.deepEqual(strangers, [], 'only victims are listed, never the service’s connections')
        const failed = items.filter((item) => item.Result === 'failed')
        assert.deepEqual(failed, [], 'no kill connection was killed by a concurrent kill')
        const killed = items.filter((item) => item.Result === 'killed').map((item) => item.Id)
        assert.equal(new Set(killed).size, killed.length, 'each victim killed once')
        assert.deepEqual(new Set(killed), victimIds, 'every victim killed')
        await waitFor(
          async () =>
            !parseListedSessions(await s().cli('CLIENT', 'LIST')).some((x) =>
              x.name.startsWith(`victim-${round}-`)
            ),
          { what: 'the victims to leave', timeoutMs: 5000 }
        )
      } finally {
        for (const victim of victims) victim.disconnect()
      }
    })
  }
})
