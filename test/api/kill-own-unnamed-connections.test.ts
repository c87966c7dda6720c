import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { collectDeployment } from '../../src/core/collect/collect-deployment.ts'
import type { SessionsSnapshot } from '../../src/core/collect/sessions-snapshot.ts'
import { killSessions, type KillResult } from '../../src/core/kill/kill-sessions.ts'
import type { ConnectionOptions } from '../../src/core/redis/connection-options.ts'
import { trackOwnConnection } from '../../src/core/redis/own-connections.ts'
import type { DeploymentSpec } from '../../src/core/topology/topology.ts'
import { parseListedSessions } from '../cli/live-sessions.ts'
import { watchClientSockets } from '../support/black-hole.ts'
import { need } from '../support/need.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { dataOf, isJsonObject, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const INSTANCE = 'r-own-unnamed'
const PASSWORD = 'own-unnamed-secret'
const OURS = 'connection of redis-sessions itself'

/** A raw TCP connection that never says a word: unnamed, unauthenticated, like ours mid-handshake. */
interface RawConnection {
  socket: Socket
  /** Its `addr` in CLIENT LIST. */
  addr: string
  /** True once the server (or anyone) closed it. */
  closed(): boolean
}

async function openRaw(port: number): Promise<RawConnection> {
  const socket = connect({ host: '127.0.0.1', port })
  let closed = false
  socket.on('close', () => (closed = true))
  socket.on('error', () => undefined) // a kill resets it: what the test looks at is `closed`
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return { socket, addr: `127.0.0.1:${socket.localPort}`, closed: () => closed }
}

/**
 * This process's own connections are known by address, not only by name: a connection still in
 * its handshake is unnamed. These tests make that window permanent with a raw socket registered
 * as ours (`trackOwnConnection`, as `openConnection` does), next to an identical one that is not:
 * whatever the timing, only the address check tells them apart.
 */
void describe('an unnamed connection of this process is never listed nor killed; its twin is', () => {
  let server: RedisServerHandle | undefined
  let test: TestApp | undefined
  const s = () => need(server, 'no server')
  const t = () => need(test, 'no app')
  const node = () => `127.0.0.1:${s().port}`
  const nodeId = () => `${INSTANCE}-db-0#${s().port}`
  const connection: ConnectionOptions = {
    password: PASSWORD,
    connectTimeoutMs: 3000,
    commandTimeoutMs: 3000,
  }
  const spec = (): DeploymentSpec => ({
    instanceId: INSTANCE,
    kind: 'standalone',
    endpoints: [{ kind: 'tcp', host: '127.0.0.1', port: s().port }],
    connection,
  })

  before(async () => {
    server = await startRedisServer({ password: PASSWORD })
    test = await createTestApp()
    await test.store.instances.add({
      instanceId: INSTANCE,
      topology: 'standalone',
      endpoints: [node()],
      password: PASSWORD,
    })
  })
  after(async () => {
    await test?.close()
    await server?.stop()
  })

  const listedAddrs = async (): Promise<string[]> =>
    parseListedSessions(await s().cli('CLIENT', 'LIST')).map((session) => session.addr)

  /** Our raw connection and its twin, both listed by the server; closed after `body`. */
  async function withPair(body: (ours: RawConnection, twin: RawConnection) => Promise<void>) {
    const ours = await openRaw(s().port)
    const twin = await openRaw(s().port)
    try {
      await waitFor(
        async () => {
          const addrs = await listedAddrs()
          return addrs.includes(ours.addr) && addrs.includes(twin.addr)
        },
        { what: 'the server to list both raw connections', timeoutMs: 5000 }
      )
      await body(ours, twin)
    } finally {
      ours.socket.destroy()
      twin.socket.destroy()
    }
  }

  /** The kill results of `ours` and `twin` (by address), selecting exactly those two. */
  async function killPair(
    snapshot: SessionsSnapshot,
    ours: RawConnection,
    twin: RawConnection,
    dryRun: boolean
  ): Promise<{ ours: KillResult | undefined; twin: KillResult | undefined }> {
    const pair = new Set([ours.addr, twin.addr])
    const results = await killSessions(snapshot, (session) => pair.has(session.addr), {
      connection,
      dryRun,
    })
    assert.equal(results.length, 2, 'the listing taken before registering shows both')
    return {
      ours: results.find((result) => result.addr === ours.addr),
      twin: results.find((result) => result.addr === twin.addr),
    }
  }

  /** `ours` is still connected, `twin` gone: from the server's side and from the sockets'. */
  async function assertOnlyTwinKilled(ours: RawConnection, twin: RawConnection): Promise<void> {
    await waitFor(() => Promise.resolve(twin.closed()), {
      what: 'the killed twin to be closed',
      timeoutMs: 5000,
    })
    const addrs = await listedAddrs()
    assert.ok(!addrs.includes(twin.addr), 'the twin is no longer listed by the server')
    assert.ok(addrs.includes(ours.addr), 'ours is still connected to the server')
    assert.equal(ours.closed(), false, 'ours was never closed')
  }

  void it('GetRedisAllSession leaves ours out and lists its twin', async () => {
    await withPair(async (ours, twin) => {
      const untrack = trackOwnConnection(node(), () => ours.socket)
      try {
        const data = dataOf(
          await signedInject(t().app, {
            action: 'GetRedisAllSession',
            params: { InstanceId: INSTANCE },
            ...t().admin,
          })
        )
        assert.ok(isJsonObject(data) && Array.isArray(data['Sessions']))
        const sessions: unknown[] = data['Sessions']
        const addrs = sessions.map((item) => (isJsonObject(item) ? item['Addr'] : undefined))
        assert.ok(addrs.includes(twin.addr), `twin ${twin.addr} listed`)
        assert.ok(!addrs.includes(ours.addr), `ours ${ours.addr} left out`)
      } finally {
        untrack()
      }
    })
  })

  void it('a dry run on a listing taken before it was ours: protected at selection', async () => {
    await withPair(async (ours, twin) => {
      const snapshot = await collectDeployment(spec())
      const untrack = trackOwnConnection(node(), () => ours.socket)
      try {
        const results = await killPair(snapshot, ours, twin, true)
        assert.equal(results.ours?.result, 'protected')
        assert.equal(results.ours?.reason, OURS)
        assert.equal(results.twin?.result, 'would-kill')
      } finally {
        untrack()
      }
    })
  })

  void it('a kill on a listing taken before it was ours: protected and alive, the twin killed', async () => {
    await withPair(async (ours, twin) => {
      const snapshot = await collectDeployment(spec())
      const untrack = trackOwnConnection(node(), () => ours.socket)
      try {
        const results = await killPair(snapshot, ours, twin, false)
        assert.equal(results.ours?.result, 'protected')
        assert.equal(results.ours?.reason, OURS)
        assert.equal(results.twin?.result, 'killed')
        await assertOnlyTwinKilled(ours, twin)
      } finally {
        untrack()
      }
    })
  })

  void it('ours only from the moment the kill connection opens: the second lookup protects it', async () => {
    await withPair(async (ours, twin) => {
      const snapshot = await collectDeployment(spec())
      // Invisible at selection; seen as ours once the kill's own socket exists, as a
      // concurrent call's connection opened after the listing would be.
      const watch = watchClientSockets()
      const untrack = trackOwnConnection(node(), () =>
        watch.sockets.length > 0 ? ours.socket : undefined
      )
      try {
        const results = await killPair(snapshot, ours, twin, false)
        assert.equal(watch.sockets.length, 1, 'one kill connection')
        assert.equal(results.ours?.result, 'protected')
        assert.equal(results.ours?.reason, OURS)
        assert.equal(results.twin?.result, 'killed')
        await assertOnlyTwinKilled(ours, twin)
      } finally {
        untrack()
        watch.stop()
      }
    })
  })

  void it('KillRedisSessions naming both kills the twin and never ours', async () => {
    await withPair(async (ours, twin) => {
      const sessions = parseListedSessions(await s().cli('CLIENT', 'LIST'))
      const idOf = (addr: string) =>
        need(
          sessions.find((x) => x.addr === addr),
          addr
        ).id
      const untrack = trackOwnConnection(node(), () => ours.socket)
      try {
        const data = dataOf(
          await signedInject(t().app, {
            action: 'KillRedisSessions',
            params: {
              InstanceId: INSTANCE,
              Sessions: JSON.stringify([
                { NodeId: nodeId(), Id: idOf(ours.addr) },
                { NodeId: nodeId(), Id: idOf(twin.addr) },
              ]),
            },
            ...t().admin,
          })
        )
        assert.ok(isJsonObject(data) && Array.isArray(data['Sessions']))
        const items: unknown[] = data['Sessions']
        const resultOf = (id: number) => {
          const item = items.find((x) => isJsonObject(x) && x['Id'] === id)
          return isJsonObject(item) ? item['Result'] : undefined
        }
        assert.equal(resultOf(idOf(twin.addr)), 'killed')
        // The fresh listing already leaves it out (reported gone), or the kill protects it.
        assert.ok(
          ['gone', 'protected'].includes(String(resultOf(idOf(ours.addr)))),
          String(resultOf(idOf(ours.addr)))
        )
        await assertOnlyTwinKilled(ours, twin)
      } finally {
        untrack()
      }
    })
  })
})
