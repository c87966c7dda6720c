import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { collectDeployment } from '../../src/core/collect/collect-deployment.ts'
import { collectSessions } from '../../src/core/collect/collect-sessions.ts'
import type { NodeOutcome } from '../../src/core/collect/node-outcome.ts'
import type { RedisNode } from '../../src/core/topology/topology.ts'
import {
  clientListCalls,
  identity,
  openClient,
  openVerifier,
  OWN_NAME,
  type Verifier,
} from '../cli/live-sessions.ts'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import { startRedisServers, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { CONNECTION, required, startForwarder, tcp } from './topology-support.ts'

/** A node for collectSessions without discovery (the fan-out is what is under test). */
function nodeOf(server: { port: number }, index: number): RedisNode {
  return {
    nodeId: `t-proxy-${index}#${server.port}`,
    address: tcp(server),
    role: 'proxy',
    shard: 0,
  }
}

function sessionsOf(outcome: NodeOutcome | undefined) {
  assert.ok(
    outcome?.ok === true,
    `node failed: ${outcome?.ok === false ? outcome.error.message : ''}`
  )
  return outcome.sessions
}

// Three standalone servers (unix socket and ::1 listeners too), each with its own mixed sessions.
void describe('collectSessions: standalone servers with mixed sessions', () => {
  let servers: RedisServerHandle[] = []
  let mixed: MixedSessions[] = []
  let verifiers: Verifier[] = []
  const server = (i: number): RedisServerHandle => required(servers[i], `server ${i}`)
  const nodes = (): RedisNode[] => servers.map(nodeOf)

  before(async () => {
    servers = await startRedisServers(3, { unixSocket: true, ipv6: true })
    mixed = await Promise.all(
      servers.map((s, i) => openMixedSessions(s, { count: 4 + i, namePrefix: `s${i}` }))
    )
    verifiers = await Promise.all(servers.map((s) => openVerifier(s)))
  })
  after(async () => {
    for (const verifier of verifiers) verifier.close()
    await Promise.all(mixed.map((m) => m.close()))
    await Promise.all(servers.map((s) => s.stop()))
  })

  void it('returns one ok outcome per node in the order given, each with every session but its own', async () => {
    const given = nodes().reverse()
    const outcomes = await collectSessions(given, { connection: CONNECTION })
    assert.deepEqual(
      outcomes.map((o) => o.node.nodeId),
      given.map((n) => n.nodeId)
    )
    for (const [i, outcome] of outcomes.entries()) {
      const sessions = sessionsOf(outcome)
      const index = servers.length - 1 - i
      const listed = await required(verifiers[index], 'verifier').list()
      assert.deepEqual(sessions.map(identity).sort(), listed.map(identity).sort())
      assert.ok(sessions.every((s) => s.name !== OWN_NAME))
      const ids = sessions.map((s) => s.id)
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        'sorted by id'
      )
      for (const expected of required(mixed[index], 'sessions').expected) {
        const found = sessions.filter((s) => s.name === expected.name && s.db === expected.db)
        assert.equal(found.length, 1, `one session for ${JSON.stringify(expected)}`)
        for (const flag of expected.flagsInclude ?? '') assert.ok(found[0]?.flags.includes(flag))
        if (expected.via === 'unix') assert.equal(found[0]?.client, server(index).unixSocket)
        if (expected.via === 'ipv6') assert.equal(found[0]?.client, '::1')
      }
    }
  })

  void it('leaves out every session named redis-sessions, also those of another instance', async () => {
    const other = await openClient(server(0), OWN_NAME)
    try {
      const listed = (await required(verifiers[0], 'verifier').list()).map(identity).sort()
      const outcomes = await collectSessions([nodeOf(server(0), 0)], { connection: CONNECTION })
      const sessions = sessionsOf(outcomes[0])
      assert.ok(sessions.every((s) => s.name !== OWN_NAME))
      assert.deepEqual(sessions.map(identity).sort(), listed)
    } finally {
      other.disconnect()
    }
  })

  void it('sends exactly one CLIENT LIST to each node per collection', async () => {
    const before = await Promise.all(servers.map(clientListCalls))
    const outcomes = await collectSessions(nodes(), { connection: CONNECTION })
    assert.ok(outcomes.every((o) => o.ok))
    const afterOne = await Promise.all(servers.map(clientListCalls))
    assert.deepEqual(
      afterOne,
      before.map((n) => n + 1)
    )
    const snapshot = await collectDeployment({
      instanceId: 'r-one',
      kind: 'auto',
      endpoints: [tcp(server(1))],
      connection: CONNECTION,
    })
    assert.deepEqual(
      snapshot.outcomes.map((o) => [o.node.nodeId, o.ok]),
      [[`r-one-db-0#${server(1).port}`, true]]
    )
    assert.deepEqual(await Promise.all(servers.map(clientListCalls)), [
      afterOne[0],
      (afterOne[1] ?? 0) + 1,
      afterOne[2],
    ])
  })

  void it('collects every node with concurrency 1', async () => {
    const outcomes = await collectSessions(nodes(), { connection: CONNECTION, concurrency: 1 })
    for (const [i, outcome] of outcomes.entries()) {
      const listed = await required(verifiers[i], 'verifier').list()
      assert.deepEqual(sessionsOf(outcome).map(identity).sort(), listed.map(identity).sort())
    }
  })

  void it('never has more nodes in flight than the concurrency bound', async () => {
    // Four "nodes" that are forwarders to one paused server: nothing completes while it is paused,
    // so the connections the forwarders have seen are the nodes in flight.
    const target = server(2)
    const forwarders = await Promise.all([1, 2, 3, 4].map(() => startForwarder(target)))
    const seen = () => forwarders.reduce((sum, f) => sum + f.connections(), 0)
    const slow = { connectTimeoutMs: 60_000, commandTimeoutMs: 60_000 }
    target.pause()
    let run: Promise<NodeOutcome[]> | undefined
    try {
      run = collectSessions(forwarders.map(nodeOf), { connection: slow, concurrency: 2 })
      await waitFor(() => Promise.resolve(seen() >= 2), { what: 'two nodes in flight' })
      // Without a bound the other two would connect at once; give them every chance to.
      await new Promise((resolve) => setTimeout(resolve, 500))
      assert.equal(seen(), 2)
    } finally {
      target.resume()
      const outcomes = await run
      await Promise.all(forwarders.map((f) => f.close()))
      assert.deepEqual(
        outcomes?.map((o) => o.ok),
        [true, true, true, true]
      )
    }
    assert.equal(seen(), 4)
  })
})
