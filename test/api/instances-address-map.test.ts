import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { parseInfo } from '../support/redis-cli.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { INSTANCE_PAGE_WIRE, REGISTRATION_WIRE } from './support/instance-wire.ts'
import { assertApiError, dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

/**
 * A replica that announces an address nobody can reach (`replica-announce-ip 127.0.0.2`: it
 * listens on 127.0.0.1 only, so 127.0.0.2 refuses), as a replica behind NAT or in a container
 * does. Registered with `AddressMap`, every node is listed; without it the replica fails.
 */
void describe('AddressMap: a replica whose announced address is unreachable', () => {
  let test: TestApp
  let master: RedisServerHandle
  let replica: RedisServerHandle
  let client: Redis | undefined
  let announced = ''
  let reachable = ''

  before(async () => {
    test = await createTestApp()
    master = await startRedisServer()
    replica = await startRedisServer({
      replicaOf: master,
      args: ['--replica-announce-ip', '127.0.0.2'],
    })
    announced = `127.0.0.2:${replica.port}`
    reachable = `127.0.0.1:${replica.port}`
    await waitFor(
      async () => {
        const info = parseInfo(await master.cli('INFO', 'replication'))
        const line = info.get('slave0') ?? ''
        return line.includes('ip=127.0.0.2,') && line.includes('state=online')
      },
      { what: `master ${master.port} to list its replica as ${announced}` }
    )
    // A session of our own on the replica: its listing must show it.
    client = new Redis({ host: '127.0.0.1', port: replica.port, connectionName: 'behind-nat' })
    await client.ping()
  })
  after(async () => {
    client?.disconnect()
    await replica?.stop()
    await master?.stop()
    await test?.close()
  })

  const call = async (action: string, params: Record<string, string>) =>
    signedInject(test.app, { action, params, ...test.admin })

  /** GetRedisAllSession's `Nodes` as `[NodeId, Status]` and its `Complete`, plus our session. */
  async function listing(instanceId: string) {
    const data = dataOf(await call('GetRedisAllSession', { InstanceId: instanceId }))
    assert.ok(isJsonObject(data) && Array.isArray(data['Nodes']) && Array.isArray(data['Sessions']))
    const nodes = data['Nodes'].map((node: unknown) => {
      assert.ok(isJsonObject(node))
      return [node['NodeId'], node['Status'], node['Address']]
    })
    const ours = data['Sessions'].filter(
      (s: unknown) => isJsonObject(s) && s['Name'] === 'behind-nat'
    )
    return { nodes, complete: data['Complete'], ours }
  }

  const masterId = (id: string) => `${id}-db-0#${master.port}`
  const replicaId = (id: string) => `${id}-db-0-replica-0#${replica.port}`

  void it('without a map: the replica is reported at its announced address and fails', async () => {
    const added = REGISTRATION_WIRE.parse(
      dataOf(
        await call('AddRedisInstance', {
          InstanceId: 'r-nat',
          Topology: 'standalone',
          Endpoints: `127.0.0.1:${master.port}`,
        })
      )
    )
    assert.equal(added.AddressMap, undefined)
    assert.deepEqual(
      added.Nodes?.map((n) => [n.NodeId, n.Address]),
      [
        [masterId('r-nat'), `127.0.0.1:${master.port}`],
        [replicaId('r-nat'), announced],
      ]
    )
    const { nodes, complete, ours } = await listing('r-nat')
    assert.equal(complete, false)
    assert.deepEqual(nodes, [
      [masterId('r-nat'), 'ok', `127.0.0.1:${master.port}`],
      [replicaId('r-nat'), 'error', announced],
    ])
    assert.equal(ours.length, 0)
  })

  void it('ModifyRedisInstance with AddressMap: the probe and every listing use it', async () => {
    const modified = REGISTRATION_WIRE.parse(
      dataOf(
        await call('ModifyRedisInstance', {
          InstanceId: 'r-nat',
          AddressMap: `${announced}=${reachable}`,
        })
      )
    )
    assert.deepEqual(modified.AddressMap, [{ From: announced, To: reachable }])
    // NodeIds keep the announced port; the address is the one connected to.
    assert.deepEqual(
      modified.Nodes?.map((n) => [n.NodeId, n.Address]),
      [
        [masterId('r-nat'), `127.0.0.1:${master.port}`],
        [replicaId('r-nat'), reachable],
      ]
    )
    const { nodes, complete, ours } = await listing('r-nat')
    assert.equal(complete, true)
    assert.deepEqual(nodes, [
      [masterId('r-nat'), 'ok', `127.0.0.1:${master.port}`],
      [replicaId('r-nat'), 'ok', reachable],
    ])
    assert.equal(ours.length, 1)
    assert.ok(isJsonObject(ours[0]))
    assert.equal(ours[0]['NodeId'], replicaId('r-nat'))
    const page = INSTANCE_PAGE_WIRE.parse(
      dataOf(await call('DescribeRedisInstances', { InstanceId: 'r-nat' }))
    )
    assert.deepEqual(page.Instances[0]?.AddressMap, [{ From: announced, To: reachable }])
  })

  void it('AddRedisInstance with AddressMap lists every node; AddressMap="" clears it', async () => {
    const added = REGISTRATION_WIRE.parse(
      dataOf(
        await call('AddRedisInstance', {
          InstanceId: 'r-nat-2',
          Endpoints: `127.0.0.1:${master.port}`,
          // Entries for other nodes are harmless; the order given is kept.
          AddressMap: ` 10.9.9.9:6379 = 127.0.0.1:1 , ${announced}=${reachable}`,
        })
      )
    )
    assert.equal(added.Topology, 'standalone')
    assert.deepEqual(added.AddressMap, [
      { From: '10.9.9.9:6379', To: '127.0.0.1:1' },
      { From: announced, To: reachable },
    ])
    assert.equal((await listing('r-nat-2')).complete, true)

    const cleared = REGISTRATION_WIRE.parse(
      dataOf(
        await call('ModifyRedisInstance', {
          InstanceId: 'r-nat-2',
          AddressMap: '',
          SkipCheck: 'true',
        })
      )
    )
    assert.equal(cleared.AddressMap, undefined)
    const { complete } = await listing('r-nat-2')
    assert.equal(complete, false)
  })

  void it('refuses a map for Topology nodes, and drops the stored one when moving to nodes', async () => {
    const refused = await call('ModifyRedisInstance', {
      InstanceId: 'r-nat',
      Topology: 'nodes',
      AddressMap: `${announced}=${reachable}`,
      SkipCheck: 'true',
    })
    assert.match(
      assertApiError(refused, 'InvalidParams', 400),
      /AddressMap is not for Topology nodes/
    )
    const moved = REGISTRATION_WIRE.parse(
      dataOf(
        await call('ModifyRedisInstance', {
          InstanceId: 'r-nat',
          Topology: 'nodes',
          SkipCheck: 'true',
        })
      )
    )
    assert.equal(moved.Topology, 'nodes')
    assert.equal(moved.AddressMap, undefined)
  })
})
