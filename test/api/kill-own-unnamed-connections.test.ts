import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { collectDeployment } from '../../src/core/collect/collect-deployment.ts'
import type { SessionsSnapshot } from '../../src/core/collect/sessions-snapshot.ts'
import { killSessions } from '../../src/core/kill/kill-sessions.ts'
import type { ConnectionOptions } from '../../src/core/redis/connection-options.ts'
import { trackOwnConnection } from '../../src/core/redis/own-connections.ts'
import type { DeploymentSpec } from '../../src/core/topology/topology.ts'
import { parseListedSessions } from '../cli/live-sessions.ts'
import { watchClientSockets } from '../support/black-hole.ts'
import { need } from '../support/need.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { listedSessions, sessionItems } from './support/session-items.ts'
import { dataOf, signedInject } from './support/signed-inject.ts'
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

  /**
   * Kills (or dry-runs) exactly `ours` and `twin` of `snapshot`; what happened to each, the
   * protection of `ours` checked to be the one of the service's own connections.
   */
  async function killPair(
    snapshot: SessionsSnapshot,
    ours: RawConnection,
    twin: RawConnection,
    dryRun: boolean
  ): Promise<{ ours: string | undefined; twin: string | undefined }> {
    const pair = new Set([ours.addr, twin.addr])
    const results = await killSessions(snapshot, (session) => pair.has(session.addr), {
      connection,
      dryRun,
    })
    assert.equal(results.length, 2, 'the listing taken before registering shows both')
    const ourResult = results.find((result) => result.addr === ours.addr)
    if (ourResult?.result === 'protected') assert.equal(ourResult.reason, OURS)
    return {
      ours: ourResult?.result,
      twin: results.find((result) => result.addr === twin.addr)?.result,
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

  /** Runs `body` with `socketOf` counted as this process's connection to the node. */
  async function asOurs(socketOf: () => Socket | undefined, body: () => Promise<void>) {
    const untrack = trackOwnConnection(node(), socketOf)
    try {
      await body()
    } finally {
      untrack()
    }
  }

  void it('GetRedisAllSession leaves ours out and lists its twin', async () => {
    await withPair(async (ours, twin) => {
      await asOurs(
        () => ours.socket,
        async () => {
          const addrs = (await listedSessions(t(), INSTANCE)).map((item) => item['Addr'])
          assert.ok(addrs.includes(twin.addr), `twin ${twin.addr} listed`)
          assert.ok(!addrs.includes(ours.addr), `ours ${ours.addr} left out`)
        }
      )
    })
  })

  for (const dryRun of [true, false]) {
    const twinResult = dryRun ? 'would-kill' : 'killed'
    void it(`${dryRun ? 'a dry run' : 'a kill'} on a listing taken before it was ours: protected at selection, the twin ${twinResult}`, async () => {
      await withPair(async (ours, twin) => {
        const snapshot = await collectDeployment(spec())
        await asOurs(
          () => ours.socket,
          async () => {
            const results = await killPair(snapshot, ours, twin, dryRun)
            assert.deepEqual(results, { ours: 'protected', twin: twinResult })
            if (!dryRun) await assertOnlyTwinKilled(ours, twin)
          }
        )
      })
    })
  }

  void it('ours only from the moment the kill connection opens: the second lookup protects it', async () => {
    await withPair(async (ours, twin) => {
      const snapshot = await collectDeployment(spec())
      // Invisible at selection; seen as ours once the kill's own socket exists, as a
      // concurrent call's connection opened after the listing would be.
      const watch = watchClientSockets()
      try {
        await asOurs(
          () => (watch.sockets.length > 0 ? ours.socket : undefined),
          async () => {
            const results = await killPair(snapshot, ours, twin, false)
            assert.equal(watch.sockets.length, 1, 'one kill connection')
            assert.deepEqual(results, { ours: 'protected', twin: 'killed' })
            await assertOnlyTwinKilled(ours, twin)
          }
        )
      } finally {
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
      await asOurs(
        () => ours.socket,
        async () => {
          const response = await signedInject(t().app, {
            action: 'KillRedisSessions',
            params: {
              InstanceId: INSTANCE,
              Sessions: JSON.stringify(
                [ours, twin].map((x) => ({ NodeId: nodeId(), Id: idOf(x.addr) }))
              ),
            },
            ...t().admin,
          })
          const items = sessionItems(dataOf(response))
          const resultOf = (x: RawConnection) =>
            String(items.find((item) => item['Id'] === idOf(x.addr))?.['Result'])
          assert.equal(resultOf(twin), 'killed')
          // The fresh listing already leaves it out (reported gone), or the kill protects it.
          assert.ok(['gone', 'protected'].includes(resultOf(ours)), resultOf(ours))
          await assertOnlyTwinKilled(ours, twin)
        }
      )
    })
  })
})
