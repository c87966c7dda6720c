import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { discoverTopology } from '../../src/core/topology/discover-topology.ts'
import { freePort } from '../support/free-port.ts'
import { startSentinelDeployment, type SentinelDeployment } from '../support/redis-sentinel.ts'
import { sentinelView } from '../support/sentinel-view.ts'
import { waitFor } from '../support/wait.ts'
import { assertOperatorError, rejection, required, spec, summary, tcp } from './topology-support.ts'

const PASSWORD = 'Sentinel-Data-Secret-7'

// Data nodes require a password, the sentinels have none: discovery sends the same
// credentials to both, and sentinels without a password accept them (redis.md §10).
void describe('discoverTopology: sentinel deployment', () => {
  let deployment: SentinelDeployment | undefined
  const d = (): SentinelDeployment => required(deployment, 'deployment')
  const connection = { connectTimeoutMs: 5000, commandTimeoutMs: 5000, password: PASSWORD }

  before(async () => {
    deployment = await startSentinelDeployment({
      replicas: 2,
      sentinels: 3,
      password: PASSWORD,
      downAfterMs: 1000,
    })
  })
  after(async () => {
    await deployment?.stop()
  })

  void it('finds the master and its replicas through the first sentinel that answers', async () => {
    const dead = { kind: 'tcp' as const, host: '127.0.0.1', port: await freePort() }
    const sentinels = [dead, ...d().sentinels.map(tcp)]
    const topology = await discoverTopology(
      spec('sentinel', sentinels, { sentinelMasterName: 'mymaster', connection })
    )
    const ports = d()
      .replicas.map((r) => r.port)
      .sort((a, b) => a - b)
    assert.equal(topology.kind, 'sentinel')
    assert.deepEqual(summary(topology), [
      [`r-test-db-0#${d().master.port}`, 'master', d().master.port, undefined],
      [`r-test-db-0-replica-0#${ports[0]}`, 'replica', ports[0], undefined],
      [`r-test-db-0-replica-1#${ports[1]}`, 'replica', ports[1], undefined],
    ])
  })

  void it('fails with each sentinel named when none knows the master name', async () => {
    const sentinels = d().sentinels.slice(0, 2)
    const error = await rejection(
      discoverTopology(
        spec('sentinel', sentinels.map(tcp), { sentinelMasterName: 'nope', connection })
      )
    )
    assertOperatorError(error, {
      code: 'TopologyDiscoveryFailed',
      cause: /monitors no master named 'nope'/,
      secret: PASSWORD,
    })
    for (const s of sentinels)
      assert.ok(String((error as Error).message).includes(`127.0.0.1:${s.port}`))
  })

  // Last: it kills a replica for good.
  void it('lists a replica the sentinel sees down with a skipReason', async () => {
    const victim = required(d().replicas[0], 'replica')
    const sentinel = required(d().sentinels[0], 'sentinel')
    victim.kill()
    await waitFor(
      async () => {
        const view = await sentinelView(sentinel, 'mymaster')
        return view.replicas.some((r) => r.port === victim.port && !r.healthy)
      },
      { what: `sentinel to flag ${victim.port} down`, timeoutMs: 30_000 }
    )
    const topology = await discoverTopology(
      spec('sentinel', [tcp(sentinel)], { sentinelMasterName: 'mymaster', connection })
    )
    const down = topology.nodes.find(
      (n) => n.address.kind === 'tcp' && n.address.port === victim.port
    )
    assert.match(down?.skipReason ?? '', /sentinel reports the replica as .*(s_down|disconnected)/)
    assert.equal(topology.nodes.filter((n) => n.skipReason !== undefined).length, 1)
  })
})
