import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { createDeploymentResolver } from '../../src/service/deployment-of-instance.ts'
import { createHistorySampler } from '../../src/service/history-sampler.ts'
import { createInstanceSessions } from '../../src/service/instance-sessions.ts'
import { freePort } from '../support/free-port.ts'
import { startReplication, type Replication } from '../support/redis-replication.ts'
import { INSTANCE_PAGE_WIRE } from './support/instance-wire.ts'
import { assertApiError, dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

/**
 * `LastCollection` of DescribeRedisInstances: what the latest collection of each instance
 * found, from this process's listings or from the history sampler's stored status.
 */
void describe('DescribeRedisInstances LastCollection', () => {
  let test: TestApp
  let group: Replication
  let closedPort = 0
  const clients: Redis[] = []

  before(async () => {
    test = await createTestApp()
    group = await startReplication({ replicas: 1 })
    closedPort = await freePort()
    // Sessions of our own: three on the master, one on the replica.
    for (const port of [group.master.port, group.master.port, group.master.port]) {
      clients.push(new Redis({ host: '127.0.0.1', port, connectionName: 'last-collection' }))
    }
    clients.push(
      new Redis({ host: '127.0.0.1', port: group.replicas[0]?.port ?? 0, lazyConnect: false })
    )
    await Promise.all(clients.map((client) => client.ping()))
    const master = `127.0.0.1:${group.master.port}`
    for (const [instanceId, topology, endpoints] of [
      ['r-whole', 'standalone', master],
      ['r-partial', 'nodes', `${master},127.0.0.1:${closedPort}`],
      ['r-down', 'nodes', `127.0.0.1:${closedPort}`],
      ['r-gone', 'standalone', `127.0.0.1:${closedPort}`],
      ['r-sampled', 'standalone', master],
    ] as const) {
      dataOf(
        await call('AddRedisInstance', {
          InstanceId: instanceId,
          Topology: topology,
          Endpoints: endpoints,
          SkipCheck: 'true',
        })
      )
    }
  })
  after(async () => {
    for (const client of clients) client.disconnect()
    await group?.stop()
    await test?.close()
  })

  const call = (action: string, params: Record<string, string>) =>
    signedInject(test.app, { action, params, ...test.admin })

  async function lastCollection(instanceId: string) {
    const page = INSTANCE_PAGE_WIRE.parse(
      dataOf(await call('DescribeRedisInstances', { InstanceId: instanceId }))
    )
    return page.Instances[0]?.LastCollection
  }

  void it('is absent until the instance has been collected', async () => {
    const page = INSTANCE_PAGE_WIRE.parse(dataOf(await call('DescribeRedisInstances', {})))
    assert.equal(page.Instances.length, 5)
    for (const instance of page.Instances) assert.equal(instance.LastCollection, undefined)
  })

  void it('after GetRedisAllSession: the listing’s time, totals and nodes', async () => {
    const data = dataOf(await call('GetRedisAllSession', { InstanceId: 'r-whole' }))
    assert.ok(isJsonObject(data) && Array.isArray(data['SourceStats']))
    const active = data['SourceStats'].reduce(
      (sum: number, s: unknown) => sum + (isJsonObject(s) ? Number(s['ActiveCount']) : 0),
      0
    )
    assert.ok(Number(data['Total']) >= 4, 'our four sessions and the replication link')
    assert.deepEqual(await lastCollection('r-whole'), {
      Time: data['Timestamp'],
      Total: data['Total'],
      Active: active,
      Nodes: 2,
      FailedNodes: 0,
      Complete: true,
    })
  })

  void it('after a kill (a dry run here): the fresh listing the kill took', async () => {
    const before = await lastCollection('r-whole')
    assert.ok(before !== undefined, 'the previous test listed r-whole')
    const data = dataOf(
      await call('KillRedisSessions', {
        InstanceId: 'r-whole',
        Name: 'last-collection',
        DryRun: 'true',
      })
    )
    assert.ok(isJsonObject(data) && Array.isArray(data['Sessions']))
    assert.equal(data['Sessions'].length, 3, 'our three named sessions on the master')
    const after = await lastCollection('r-whole')
    assert.ok(after !== undefined)
    assert.ok(after.Time > before.Time, `a newer collection: ${after.Time} > ${before.Time}`)
    assert.equal(after.Nodes, 2)
    assert.equal(after.Complete, true)
  })

  void it('a partial listing: FailedNodes, Complete false, no Error', async () => {
    const data = dataOf(await call('GetRedisAllSession', { InstanceId: 'r-partial' }))
    assert.ok(isJsonObject(data))
    assert.equal(data['Complete'], false)
    const last = await lastCollection('r-partial')
    assert.deepEqual(
      { ...last, Active: 0 },
      {
        Time: data['Timestamp'],
        Total: data['Total'],
        Active: 0,
        Nodes: 2,
        FailedNodes: 1,
        Complete: false,
      }
    )
  })

  void it('a failed listing: Error with the code and cause the listing answered', async () => {
    for (const instanceId of ['r-down', 'r-gone']) {
      const before = Date.now()
      const detail = assertApiError(
        await call('GetRedisAllSession', { InstanceId: instanceId }),
        'InstanceConnectionFailed',
        503
      )
      const last = await lastCollection(instanceId)
      assert.ok(last !== undefined, instanceId)
      assert.ok(last.Time >= before && last.Time <= Date.now())
      assert.deepEqual(
        { ...last, Time: 0 },
        {
          Time: 0,
          Total: 0,
          Active: 0,
          // r-down: its one listed node was asked; r-gone: discovery found no node to ask.
          Nodes: instanceId === 'r-down' ? 1 : 0,
          FailedNodes: instanceId === 'r-down' ? 1 : 0,
          Complete: false,
          Error: { Code: 'InstanceConnectionFailed', Message: last.Error?.Message ?? '' },
        }
      )
      assert.match(last.Error?.Message ?? '', new RegExp(`127\\.0\\.0\\.1:${closedPort}`))
      assert.ok(detail.includes(String(closedPort)))
    }
  })

  void it('falls back to the history sampler’s stored status (another replica’s)', async () => {
    // A sampler with its own collector stands for a replica that is not this process.
    const sampler = createHistorySampler({
      store: test.store,
      sessions: createInstanceSessions({
        resolve: createDeploymentResolver(test.store, 2000),
        resultCacheMs: 0,
      }),
      logger: pino({ level: 'silent' }),
      intervalSeconds: 60,
    })
    const report = await sampler.sampleOnce()
    assert.deepEqual([...report.sampled].sort(), ['r-partial', 'r-sampled', 'r-whole'])
    const sampled = await lastCollection('r-sampled')
    assert.ok(sampled !== undefined)
    assert.equal(sampled.Nodes, 2)
    assert.equal(sampled.Complete, true)
    assert.ok(sampled.Total >= 4)
    // A failing instance is stored too; this process's own newer failure still wins for r-down.
    const stored = await test.store.sampledCollections.latest(['r-down', 'r-gone', 'r-whole'])
    assert.equal(stored.get('r-down')?.error?.code, 'InstanceConnectionFailed')
    const whole = await lastCollection('r-whole')
    assert.equal(whole?.Time, stored.get('r-whole')?.time, 'the sampler’s is newer')
    // This process lists it again: its own newer collection wins.
    const data = dataOf(await call('GetRedisAllSession', { InstanceId: 'r-sampled' }))
    assert.ok(isJsonObject(data))
    assert.equal((await lastCollection('r-sampled'))?.Time, data['Timestamp'])
  })

  void it('is dropped by a registry change, and not inherited by a new instance of the id', async () => {
    dataOf(
      await call('ModifyRedisInstance', {
        InstanceId: 'r-whole',
        Description: 'changed',
        SkipCheck: 'true',
      })
    )
    assert.equal(await lastCollection('r-whole'), undefined, 'both sources predate the change')
    dataOf(await call('DeleteRedisInstance', { InstanceId: 'r-sampled' }))
    dataOf(
      await call('AddRedisInstance', {
        InstanceId: 'r-sampled',
        Topology: 'standalone',
        Endpoints: `127.0.0.1:${group.master.port}`,
        SkipCheck: 'true',
      })
    )
    assert.equal(await lastCollection('r-sampled'), undefined)
    assert.deepEqual(await test.store.sampledCollections.latest(['r-sampled']), new Map())
  })
})
