/**
 * The official Alibaba Cloud clients as oracles: pointed at our server as protocol.md §5 says,
 * each one calls GetRedisAllSession on a real master + replica holding mixed sessions, and
 * every one must get the same Data (contract §3).
 */
import { Redis } from 'ioredis'
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import { startReplication, type Replication } from '../support/redis-replication.ts'
import { callSdk, isRecord, type Family, type SdkOutcome } from './sdk-callers.ts'
import {
  ADMIN,
  ADMIN_PASSWORD,
  issueTemporary,
  startSdkServer,
  type Credentials,
  type SdkServer,
} from './sdk-fixture.ts'
import { assertDasTypes, sessionKeys } from './das-shape.ts'

const INSTANCE_ID = 'r-sdk-oracle'
// ConsoleContext (reserved, ignored) with every character the clients encode differently
// (protocol.md §4, capture D): each client's encoding must still verify.
const QUERY = { InstanceId: INSTANCE_ID, ConsoleContext: "a b+c!'()*~&=/é中" }
const REPLICA_SESSIONS = ['sdk-r-0', 'sdk-r-1', 'sdk-r-subscribe']
const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/

describe('GetRedisAllSession through the official SDKs (master + replica, mixed sessions)', () => {
  let redis: Replication | undefined
  let sdk: SdkServer | undefined
  const opened: MixedSessions[] = []
  const replicaClients: Redis[] = []
  const outcomes = new Map<string, SdkOutcome>()
  let masterNode = ''
  let replicaNode = ''

  before(async () => {
    redis = await startReplication({ replicas: 1 })
    const [replica] = redis.replicas
    assert.ok(replica !== undefined)
    opened.push(await openMixedSessions(redis.master, { namePrefix: 'sdk-m', count: 5 }))
    // A replica refuses the queued SET of openMixedSessions' MULTI client: plain named ones.
    replicaClients.push(...(await openNamedSessions(replica.port, REPLICA_SESSIONS)))
    sdk = await startSdkServer()
    await sdk.store.instances.add({
      instanceId: INSTANCE_ID,
      topology: 'standalone',
      endpoints: [`127.0.0.1:${redis.master.port}`],
      description: 'SDK oracle',
    })
    masterNode = `${INSTANCE_ID}-db-0#${redis.master.port}`
    replicaNode = `${INSTANCE_ID}-db-0-replica-0#${replica.port}`
  })

  after(async () => {
    for (const sessions of opened) await sessions.close()
    for (const client of replicaClients) client.disconnect()
    await sdk?.close()
    await redis?.stop()
  })

  const families: Family[] = [
    'pop-core GET',
    'pop-core POST',
    'openapi-client V3',
    'openapi-client v2',
    'openapi-core V3',
  ]
  for (const family of families) {
    it(`answers ${family} with Code 200, Success true and a RequestId`, async () => {
      assert.ok(sdk !== undefined)
      const outcome = await callSdk(family, sdk, ADMIN, { query: QUERY })
      outcomes.set(family, outcome)
      assertSuccess(outcome)
    })
  }

  it('answers SDKs signing with console sign-in (STS-style) credentials', async (t) => {
    assert.ok(sdk !== undefined)
    const temporary = await consoleCredentials(sdk)
    if (temporary === undefined) {
      t.diagnostic('POST /console/sign-in is not served: credentials issued by the store instead')
    }
    const credentials = temporary ?? (await issueTemporary(sdk.store, 'admin'))
    for (const family of ['openapi-core V3', 'pop-core GET'] as const) {
      const outcome = await callSdk(family, sdk, credentials, {
        query: QUERY,
      })
      outcomes.set(`${family} + SecurityToken`, outcome)
      assertSuccess(outcome)
    }
  })

  it('gives every client the same sessions, nodes and source stats', () => {
    const datas = [...outcomes].map(([name, outcome]) => {
      assertSuccess(outcome)
      const data = outcome.body['Data']
      assert.ok(isRecord(data), `${name}: Data`)
      return { name, data }
    })
    assert.equal(datas.length, families.length + 2, 'every client call above succeeded')
    const [first, ...rest] = datas
    assert.ok(first !== undefined)
    const keys = sessionKeys(first.data)
    // Both nodes answered, with the sessions opened on each.
    const namesOn = (node: string) =>
      keys.filter((key) => key.startsWith(`${node}|`)).map((key) => key.split('|')[2])
    for (const kind of ['0', 'subscribe', 'psubscribe', 'multi', 'blpop', 'db1', 'db3']) {
      assert.ok(namesOn(masterNode).includes(`sdk-m-${kind}`), `master lists sdk-m-${kind}`)
    }
    for (const name of REPLICA_SESSIONS) {
      assert.ok(namesOn(replicaNode).includes(name), `replica lists ${name}`)
    }
    assert.ok(!keys.some((key) => key.endsWith('|redis-sessions')), 'own connections hidden')
    for (const { name, data } of rest) {
      assert.deepEqual(sessionKeys(data), keys, `${name}: same (NodeId, Id, Name) as ${first.name}`)
      assert.equal(data['Total'], first.data['Total'], `${name}: Total`)
      assert.deepEqual(sourceStats(data), sourceStats(first.data), `${name}: SourceStats`)
      assert.deepEqual(nodeIds(data), [masterNode, replicaNode], `${name}: Nodes`)
      assert.equal(data['Complete'], true, `${name}: Complete`)
    }
  })

  it('sends a raw body with exactly the DAS types (contract §3) and x-acs-request-id', async () => {
    assert.ok(sdk !== undefined)
    const request = buildSignedRequest({
      endpoint: sdk.url,
      scheme: 'V3',
      action: 'GetRedisAllSession',
      params: QUERY,
      ...ADMIN,
    })
    const before = Date.now()
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
    })
    const text = await response.text()
    assert.equal(response.status, 200, text)
    assert.equal(response.headers.get('content-type'), 'application/json;charset=utf-8')
    const body: unknown = JSON.parse(text)
    assert.ok(isRecord(body))
    assert.equal(body['Code'], 200)
    assert.equal(body['Success'], true)
    assert.equal(body['Message'], 'Successful')
    assert.equal(body['RequestId'], response.headers.get('x-acs-request-id'))
    const data = body['Data']
    assert.ok(isRecord(data))
    assertDasTypes(data, { notBefore: before - 60_000, notAfter: Date.now() + 60_000 })
    // The captured body's first session must be as typed on the wire as in the parsed object.
    assert.match(text, /"Age":"\d+"/)
    assert.match(text, /"Count":"\d+"/)
  })
})

function assertSuccess(outcome: SdkOutcome | undefined): asserts outcome is SdkOutcome & {
  ok: true
} {
  assert.ok(outcome !== undefined, 'the call was made')
  assert.ok(outcome.ok, `the client threw: ${JSON.stringify(outcome.ok ? {} : outcome.data)}`)
  assert.equal(outcome.body['Code'], 200)
  assert.equal(outcome.body['Success'], true)
  assert.equal(outcome.body['Message'], 'Successful')
  const requestId = outcome.body['RequestId']
  assert.equal(typeof requestId, 'string')
  assert.equal(String(requestId).length, 36)
  assert.match(String(requestId), REQUEST_ID)
}

/** Signs in as admin (contract §7); undefined when the route is not served (404). */
async function consoleCredentials(sdk: SdkServer): Promise<Credentials | undefined> {
  const response = await fetch(`${sdk.url}/console/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ UserName: 'admin', Password: ADMIN_PASSWORD }),
  })
  const text = await response.text()
  if (response.status === 404) return undefined
  assert.equal(response.status, 200, text)
  const body: unknown = JSON.parse(text)
  assert.ok(isRecord(body), text)
  const [accessKeyId, accessKeySecret, securityToken] = [
    body['AccessKeyId'],
    body['AccessKeySecret'],
    body['SecurityToken'],
  ]
  assert.ok(typeof accessKeyId === 'string' && accessKeyId.startsWith('STS.'), text)
  assert.ok(typeof accessKeySecret === 'string' && typeof securityToken === 'string', text)
  return { accessKeyId, accessKeySecret, securityToken }
}

function sourceStats(data: Record<string, unknown>): unknown[] {
  const stats = data['SourceStats']
  assert.ok(Array.isArray(stats))
  return stats.map((entry: unknown) => {
    assert.ok(isRecord(entry))
    return { Key: entry['Key'], Count: entry['Count'] }
  })
}

function nodeIds(data: Record<string, unknown>): unknown[] {
  const nodes = data['Nodes']
  assert.ok(Array.isArray(nodes))
  return nodes.map((node: unknown) => (isRecord(node) ? node['NodeId'] : undefined))
}

/** Opens one named session per name on 127.0.0.1:`port` (`*-subscribe` ones subscribe). */
async function openNamedSessions(port: number, names: readonly string[]): Promise<Redis[]> {
  const clients: Redis[] = []
  for (const name of names) {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
    })
    client.on('error', () => undefined)
    clients.push(client)
    await client.connect()
    await client.call('CLIENT', 'SETNAME', name)
    if (name.endsWith('-subscribe')) await client.subscribe('sdk-r:channel')
    else await client.ping()
  }
  return clients
}
