import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { freePort } from '../support/free-port.ts'
import { INSTANCE_PAGE_WIRE, REGISTRATION_WIRE } from './support/instance-wire.ts'
import { assertApiError, dataOf, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const PASSWORD = 'pw-Zebra-7c1e'
const CA = '-----BEGIN CERTIFICATE-----\nMIIBCA-not-a-real-ca-9f3a\n-----END CERTIFICATE-----\n'

void describe('instance registry API (Add/Describe/Modify/DeleteRedisInstance)', () => {
  let test: TestApp
  let redis: RedisServerHandle
  let closedPort = 0
  /** Every response body, to prove no secret ever leaves the server. */
  const bodies: string[] = []

  before(async () => {
    test = await createTestApp()
    redis = await startRedisServer({ password: PASSWORD })
    closedPort = await freePort()
  })
  after(async () => {
    await redis?.stop()
    await test?.close()
  })

  async function call(action: string, params: Record<string, string>) {
    const response = await signedInject(test.app, { action, params, ...test.admin })
    bodies.push(response.text)
    return response
  }
  const add = (params: Record<string, string>) => call('AddRedisInstance', params)

  void it('probes a live redis-server and returns the instance and its nodes', async () => {
    const response = await add({
      InstanceId: 'r-live',
      Topology: 'standalone',
      Endpoints: `127.0.0.1:${redis.port}`,
      Password: PASSWORD,
      Description: 'live one',
    })
    const data = REGISTRATION_WIRE.parse(dataOf(response))
    assert.equal(data.InstanceId, 'r-live')
    assert.equal(data.HasPassword, true)
    assert.deepEqual(data.Endpoints, [`127.0.0.1:${redis.port}`])
    assert.deepEqual(data.Nodes, [
      {
        NodeId: `r-live-db-0#${redis.port}`,
        Address: `127.0.0.1:${redis.port}`,
        Role: 'master',
        Shard: 0,
      },
    ])
  })

  void it('detects the topology when Topology is absent', async () => {
    const data = REGISTRATION_WIRE.parse(
      dataOf(
        await add({
          InstanceId: 'r-auto',
          Endpoints: `127.0.0.1:${redis.port}`,
          Password: PASSWORD,
        })
      )
    )
    assert.equal(data.Topology, 'standalone')
    assert.equal(data.Nodes?.length, 1)
  })

  void it('fails with InstanceConnectionFailed naming the node when nothing listens', async () => {
    const response = await add({
      InstanceId: 'r-closed',
      Topology: 'standalone',
      Endpoints: `127.0.0.1:${closedPort}`,
      Password: PASSWORD,
    })
    const detail = assertApiError(response, 'InstanceConnectionFailed', 503)
    assert.match(detail, new RegExp(`127\\.0\\.0\\.1:${closedPort}`))
    assert.equal(response.text.includes(PASSWORD), false)
    assertApiError(
      await call('DescribeRedisInstances', { InstanceId: 'r-closed' }),
      'InvalidInstanceId.NotFound',
      404
    )
  })

  void it('fails with InstanceConnectionFailed on a wrong password, without echoing it', async () => {
    const response = await add({
      InstanceId: 'r-wrongpw',
      Endpoints: `127.0.0.1:${redis.port}`,
      Password: 'Wrong-Secret-42',
    })
    assert.match(assertApiError(response, 'InstanceConnectionFailed', 503), /WRONGPASS|auth/i)
    assert.equal(response.text.includes('Wrong-Secret-42'), false)
  })

  void it('registers without connecting when SkipCheck=true', async () => {
    const response = await add({
      InstanceId: 'r-skipped',
      Topology: 'cluster',
      Endpoints: `127.0.0.1:${closedPort}, [::1]:7001`,
      Username: 'ops',
      Password: PASSWORD,
      Tls: 'true',
      TlsCa: CA,
      TlsServerName: 'redis.internal',
      SkipCheck: 'true',
    })
    const data = REGISTRATION_WIRE.parse(dataOf(response))
    assert.equal(data.Nodes, undefined)
    assert.deepEqual(data.Endpoints, [`127.0.0.1:${closedPort}`, '[::1]:7001'])
    assert.deepEqual(data.Tls, {
      Enabled: true,
      ServerName: 'redis.internal',
      SkipVerify: false,
      HasCa: true,
    })
    assert.equal(data.Username, 'ops')
    assert.equal(data.AddressMap, undefined)
  })

  void it('normalises AddressMap: IPv6 in lower case, spaces trimmed, order kept', async () => {
    const data = REGISTRATION_WIRE.parse(
      dataOf(
        await add({
          InstanceId: 'r-mapped',
          Topology: 'cluster',
          Endpoints: '10.0.0.5:6379',
          AddressMap:
            ' 10.0.0.6:6379=203.0.113.5:16380 , [FD00::1]:7000=[2001:DB8::5]:17000,10.0.0.5:6379=gw.example:16379',
          SkipCheck: 'true',
        })
      )
    )
    assert.deepEqual(data.AddressMap, [
      { From: '10.0.0.6:6379', To: '203.0.113.5:16380' },
      { From: '[fd00::1]:7000', To: '[2001:db8::5]:17000' },
      { From: '10.0.0.5:6379', To: 'gw.example:16379' },
    ])
    const deployment = await test.services.deploymentOf('r-mapped')
    assert.deepEqual(
      [...(deployment?.addressMap ?? [])],
      [
        ['10.0.0.6:6379', '203.0.113.5:16380'],
        ['[fd00::1]:7000', '[2001:db8::5]:17000'],
        ['10.0.0.5:6379', 'gw.example:16379'],
      ]
    )
    const changed = REGISTRATION_WIRE.parse(
      dataOf(
        await call('ModifyRedisInstance', {
          InstanceId: 'r-mapped',
          Description: 'kept map',
          SkipCheck: 'true',
        })
      )
    )
    assert.deepEqual(changed.AddressMap, data.AddressMap)
    const { events } = await test.store.audit.query({
      action: 'ModifyRedisInstance',
      instanceId: 'r-mapped',
      pageNumber: 1,
      pageSize: 10,
    })
    assert.equal(events[0]?.detail['changed'], 'Description')
    const replaced = await call('ModifyRedisInstance', {
      InstanceId: 'r-mapped',
      AddressMap: '10.0.0.7:6379=h:1',
      SkipCheck: 'true',
    })
    assert.deepEqual(REGISTRATION_WIRE.parse(dataOf(replaced)).AddressMap, [
      { From: '10.0.0.7:6379', To: 'h:1' },
    ])
  })

  void it('answers EntityAlreadyExists for a taken InstanceId', async () => {
    const response = await add({
      InstanceId: 'r-live',
      Topology: 'standalone',
      Endpoints: '127.0.0.1:1',
      SkipCheck: 'true',
    })
    assertApiError(response, 'EntityAlreadyExists', 409)
  })

  void it('refuses bad parameters with InvalidParams naming the problem', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ Endpoints: '127.0.0.1:6379,bad host:1' }, /bad host/],
      [{ Endpoints: '127.0.0.1:99999' }, /port/],
      [{ Endpoints: Array.from({ length: 65 }, (_, i) => `10.0.0.1:${7000 + i}`).join(',') }, /64/],
      [{ Endpoints: '127.0.0.1:1', Topology: 'sentinel' }, /SentinelMasterName/],
      [
        { Endpoints: '127.0.0.1:1', Topology: 'cluster', SentinelMasterName: 'm' },
        /SentinelMasterName/,
      ],
      [{ Endpoints: '/tmp/redis.sock', Topology: 'cluster' }, /unix socket/],
      [{ Endpoints: '127.0.0.1:1', Topology: 'ring' }, /Topology/],
      [{ Endpoints: '127.0.0.1:1', Description: 'x'.repeat(257) }, /Description/],
      [{ Endpoints: '127.0.0.1:1', TlsCa: 'not pem' }, /TlsCa/],
      [{ Endpoints: '127.0.0.1:1', Tls: 'yes' }, /Tls/],
      [{}, /Endpoints/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: '10.0.0.5:6379' }, /entry 1 .*exactly one '='/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: 'a:1=b:2=c:3' }, /exactly one '='/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: '10.0.0.5:6379=' }, /entry 1: an address is empty/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: 'a:1=b:2,,c:3=d:4' }, /entry 2 is empty/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: '10.0.0.5=h:1' }, /'10\.0\.0\.5' has no port/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: 'h:1=[::1]' }, /'\[::1\]' has no port/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: 'h:1=h:70000' }, /port/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: 'fd00::1:6379=h:1' }, /brackets/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: '/tmp/r.sock=h:1' }, /socket path/],
      [{ Endpoints: '127.0.0.1:1', AddressMap: 'bad host:1=h:1' }, /bad host/],
      [
        { Endpoints: '127.0.0.1:1', AddressMap: '[FD00::1]:1=h:1,[fd00::1]:1=h:2' },
        /entry 2 maps \[fd00::1\]:1 again \(entry 1/,
      ],
      [
        {
          Endpoints: '127.0.0.1:1',
          AddressMap: Array.from(
            { length: 1025 },
            (_, i) => `10.0.${i >> 8}.${i & 255}:1=h:1`
          ).join(','),
        },
        /more than 1024/,
      ],
      [{ Endpoints: '127.0.0.1:1', Topology: 'nodes', AddressMap: 'a:1=b:1' }, /Topology nodes/],
    ]
    for (const [params, reason] of cases) {
      const response = await add({
        InstanceId: 'r-invalid',
        SkipCheck: 'true',
        Topology: 'standalone',
        ...params,
      })
      assert.match(
        assertApiError(response, 'InvalidParams', 400),
        reason,
        JSON.stringify(params).slice(0, 80)
      )
    }
    const noTopology = await add({
      InstanceId: 'r-invalid',
      Endpoints: '127.0.0.1:1',
      SkipCheck: 'true',
    })
    assert.match(assertApiError(noTopology, 'InvalidParams', 400), /Topology is required/)
  })

  void it('pages DescribeRedisInstances sorted by InstanceId', async () => {
    for (const id of ['r-page-1', 'r-page-2', 'r-page-3']) {
      dataOf(
        await add({
          InstanceId: id,
          Topology: 'nodes',
          Endpoints: '127.0.0.1:1',
          SkipCheck: 'true',
        })
      )
    }
    const all = INSTANCE_PAGE_WIRE.parse(dataOf(await call('DescribeRedisInstances', {})))
    assert.equal(all.PageNumber, 1)
    assert.equal(all.PageSize, 30)
    const ids = all.Instances.map((instance) => instance.InstanceId)
    assert.deepEqual(ids, [...ids].sort())
    assert.equal(all.Total, ids.length)
    assert.ok(ids.includes('r-page-2'))
    const second = INSTANCE_PAGE_WIRE.parse(
      dataOf(await call('DescribeRedisInstances', { PageNumber: '2', PageSize: '2' }))
    )
    assert.equal(second.Total, all.Total)
    assert.deepEqual(
      second.Instances.map((i) => i.InstanceId),
      ids.slice(2, 4)
    )
    const one = INSTANCE_PAGE_WIRE.parse(
      dataOf(await call('DescribeRedisInstances', { InstanceId: 'r-page-3' }))
    )
    assert.deepEqual([one.Total, one.Instances[0]?.InstanceId], [1, 'r-page-3'])
    assertApiError(await call('DescribeRedisInstances', { PageSize: '101' }), 'InvalidParams', 400)
    assertApiError(
      await call('DescribeRedisInstances', { InstanceId: 'r-nope' }),
      'InvalidInstanceId.NotFound',
      404
    )
  })

  void it('modifies fields, keeps absent ones and clears the password with Password=""', async () => {
    const response = await call('ModifyRedisInstance', {
      InstanceId: 'r-skipped',
      Password: '',
      Description: 'changed',
      SkipCheck: 'true',
    })
    const data = REGISTRATION_WIRE.parse(dataOf(response))
    assert.equal(data.HasPassword, false)
    assert.equal(data.Description, 'changed')
    assert.equal(data.Topology, 'cluster')
    assert.equal(data.Username, 'ops')
    assert.equal(data.Tls.HasCa, true)
    assert.equal(await test.store.instances.getConnectionSecret('r-skipped'), undefined)
  })

  void it('probes a modification and leaves the instance unchanged when it fails', async () => {
    const response = await call('ModifyRedisInstance', {
      InstanceId: 'r-live',
      Endpoints: `127.0.0.1:${closedPort}`,
    })
    assertApiError(response, 'InstanceConnectionFailed', 503)
    const stored = await test.store.instances.get('r-live')
    assert.deepEqual(stored?.endpoints, [`127.0.0.1:${redis.port}`])
    assertApiError(
      await call('ModifyRedisInstance', { InstanceId: 'r-nope', SkipCheck: 'true' }),
      'InvalidInstanceId.NotFound',
      404
    )
  })

  void it('deletes an instance: Data "None", then NotFound', async () => {
    assert.equal(dataOf(await call('DeleteRedisInstance', { InstanceId: 'r-page-1' })), 'None')
    assertApiError(
      await call('DeleteRedisInstance', { InstanceId: 'r-page-1' }),
      'InvalidInstanceId.NotFound',
      404
    )
    assertApiError(
      await call('DescribeRedisInstances', { InstanceId: 'r-page-1' }),
      'InvalidInstanceId.NotFound',
      404
    )
  })

  void it('never returns a password or the CA text in any response, nor logs them in the audit', async () => {
    assert.ok(bodies.length > 10, 'the earlier tests ran')
    for (const body of bodies) {
      assert.equal(body.includes(PASSWORD), false, body.slice(0, 300))
      assert.equal(body.includes('not-a-real-ca'), false, body.slice(0, 300))
    }
    const { events } = await test.store.audit.query({
      action: 'AddRedisInstance',
      pageNumber: 1,
      pageSize: 100,
    })
    assert.ok(events.some((event) => event.result === 'Success' && event.instanceId === 'r-live'))
    assert.ok(events.some((event) => event.result === 'InstanceConnectionFailed'))
    assert.equal(JSON.stringify(events).includes(PASSWORD), false)
  })
})
