import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createAliasResolver } from '../../src/service/alias-resolver.ts'
import { openNamedSessions, type NamedSessions } from '../cli/live-sessions.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-alias-live'

void describe('aliases on a live standalone redis-server', () => {
  let server: RedisServerHandle | undefined
  let test: TestApp | undefined
  let sessions: NamedSessions | undefined
  const t = (): TestApp => test ?? assert.fail('no app')
  const call = (action: string, params: Record<string, string>) =>
    signedInject(t().app, { action, params, ...t().admin })

  /** Every `ClientDesc` of the test's sessions and of the 127.0.0.1 source. */
  const clientDescs = async (): Promise<{ sessions: Set<unknown>; source: unknown }> => {
    const data = dataOf(await call('GetRedisAllSession', { InstanceId: INSTANCE }))
    assert.ok(isJsonObject(data) && Array.isArray(data['Sessions']))
    assert.ok(Array.isArray(data['SourceStats']))
    const mine = data['Sessions'].filter(
      (s: unknown) => isJsonObject(s) && String(s['Name']).startsWith('alias-')
    )
    assert.equal(mine.length, 4, 'the four named sessions are listed')
    const stats: unknown[] = data['SourceStats']
    const source = stats.find((s: unknown) => isJsonObject(s) && s['Key'] === '127.0.0.1')
    assert.ok(isJsonObject(source))
    return {
      sessions: new Set(mine.map((s: unknown) => (isJsonObject(s) ? s['ClientDesc'] : undefined))),
      source: source['ClientDesc'],
    }
  }
  const expectDesc = async (expected: string) => {
    const got = await clientDescs()
    assert.deepEqual([...got.sessions], [expected], 'Sessions[].ClientDesc')
    assert.equal(got.source, expected, 'SourceStats[].ClientDesc')
  }

  before(async () => {
    server = await startRedisServer()
    test = await createTestApp()
    // The real resolver, without its 1 s cache, so a change shows on the next call.
    test.services.aliasesFor = createAliasResolver(test.store, { cacheMs: 0 })
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${server.port}`],
    })
    await test.store.instances.add({
      instanceId: 'r-alias-other',
      topology: 'standalone',
      endpoints: ['127.0.0.1:1'],
    })
    // Four named sessions (every 10th would be unnamed: 4 stay below that).
    sessions = await openNamedSessions(server, { count: 4, prefix: 'alias' })
  })
  after(async () => {
    await sessions?.close()
    await test?.close()
    await server?.stop()
  })

  void it('shows "" before any alias', async () => {
    await expectDesc('')
  })

  void it('shows a global alias of the loopback network', async () => {
    dataOf(await call('SetRedisClientAlias', { Cidr: '127.0.0.0/8', Description: 'loopback' }))
    await expectDesc('loopback')
  })

  void it('prefers the longest matching prefix within a scope', async () => {
    dataOf(await call('SetRedisClientAlias', { Cidr: '127.0.0.1', Description: 'this host' }))
    dataOf(await call('SetRedisClientAlias', { Cidr: '0.0.0.0/0', Description: 'anyone' }))
    await expectDesc('this host')
  })

  void it('prefers an instance alias over any global one, and only for that instance', async () => {
    const scoped = { Cidr: '127.0.0.0/8', Description: 'app tier', InstanceId: INSTANCE }
    dataOf(await call('SetRedisClientAlias', scoped))
    const elsewhere = { Cidr: '127.0.0.1', Description: 'not here', InstanceId: 'r-alias-other' }
    dataOf(await call('SetRedisClientAlias', elsewhere))
    await expectDesc('app tier')
  })

  void it('falls back to the global alias once the instance alias is deleted', async () => {
    const deleted = await call('DeleteRedisClientAlias', {
      Cidr: '127.0.0.0/8',
      InstanceId: INSTANCE,
    })
    assert.equal(dataOf(deleted), 'None')
    await expectDesc('this host')
    dataOf(await call('DeleteRedisClientAlias', { Cidr: '127.0.0.1/32' }))
    await expectDesc('loopback')
  })
})
