import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { freePort } from '../support/free-port.ts'
import type { RedisServerHandle } from '../support/redis-server.ts'
import { startSentinelDeployment, type SentinelDeployment } from '../support/redis-sentinel.ts'
import { assertDasInvariants, identitiesListed, identitiesOf, parseDasData } from './das-data.ts'
import {
  openNamedSessions,
  openVerifier,
  type NamedSessions,
  type Verifier,
} from './live-sessions.ts'
import { assertOneLineFailure, ensureCliBuilt, runCli, runCliOk } from './run-cli.ts'

// A master with 2 replicas watched by 3 sentinels; ~20 named sessions on each data node.
void describe('redis-sessions sessions --sentinel: master + 2 replicas, 3 sentinels', () => {
  let deployment: SentinelDeployment | undefined
  let sessions: NamedSessions[] = []
  let verifiers: Verifier[] = []
  const d = (): SentinelDeployment => need(deployment, 'sentinel deployment')
  /** [master, replicas by port], as NodeIds are assigned (contract §2). */
  const dataNodes = (): RedisServerHandle[] => [
    d().master,
    ...[...d().replicas].sort((a, b) => a.port - b.port),
  ]
  const sentinel = (i: number): RedisServerHandle => need(d().sentinels[i], `sentinel ${i}`)

  before(async () => {
    await ensureCliBuilt()
    deployment = await startSentinelDeployment({ replicas: 2 })
    sessions = await Promise.all(
      dataNodes().map((node, i) => openNamedSessions(node, { count: 20, prefix: `d${i}` }))
    )
    verifiers = await Promise.all(dataNodes().map((node) => openVerifier(node)))
  })
  after(async () => {
    for (const verifier of verifiers) verifier.close()
    await Promise.all(sessions.map((s) => s.close()))
    await deployment?.stop()
  })

  async function assertListsMasterAndReplicas(url: string): Promise<void> {
    const stdout = await runCliOk(['sessions', url, '--sentinel', d().masterName, '--json'])
    const data = parseDasData(stdout)
    assertDasInvariants(data)
    const [master, ...replicas] = dataNodes()
    const nodeIds = [
      `cli-db-0#${need(master, 'master').port}`,
      ...replicas.map((r, k) => `cli-db-0-replica-${k}#${r.port}`),
    ]
    assert.deepEqual(
      data.Nodes.map((n) => [n.NodeId, n.Role, n.Shard, n.Status]),
      nodeIds.map((id, i) => [id, i === 0 ? 'master' : 'replica', 0, 'ok'])
    )
    assert.equal(data.Complete, true)
    for (const [i, nodeId] of nodeIds.entries()) {
      const listed = await need(verifiers[i], 'verifier').list()
      assert.deepEqual(identitiesOf(data, nodeId), identitiesListed(listed), nodeId)
    }
    // The sentinels' own links to every data node are sessions like any other (redis.md §8).
    const sentinelLinks = data.Sessions.filter((s) => /^sentinel-\w+-(cmd|pubsub)$/.test(s.Name))
    assert.equal(sentinelLinks.length, 3 * 2 * nodeIds.length)
  }

  void it('lists the sessions of the master and every replica', async () => {
    await assertListsMasterAndReplicas(sentinel(0).url)
  })

  void it('asks the next sentinel when the first is down', async () => {
    const dead = await freePort()
    await assertListsMasterAndReplicas(`redis://127.0.0.1:${dead},127.0.0.1:${sentinel(1).port}`)
  })

  void it('an unknown master name: one line naming the sentinel, exit 2', async () => {
    const result = await runCli(['sessions', sentinel(2).url, '--sentinel', 'no-such-master'])
    assertOneLineFailure(result, {
      node: `127.0.0.1:${sentinel(2).port}`,
      cause: /monitors no master named 'no-such-master'/,
    })
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
