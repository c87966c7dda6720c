import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openMixedSessions, type ExpectedSession } from './client-sessions.ts'
import { clusterShards } from './cluster-shards.ts'
import { isPidAlive, liveProcesses, stopAll } from './processes.ts'
import { parseInfo } from './redis-cli.ts'
import { startCluster } from './redis-cluster.ts'
import { pingReplies } from './redis-ping.ts'
import { startReplication } from './redis-replication.ts'
import { startRedisServer } from './redis-server.ts'
import { startSentinelDeployment } from './redis-sentinel.ts'
import { sentinelView } from './sentinel-view.ts'
import { waitFor } from './wait.ts'

// Safety net: whatever a failing test left running is stopped here (and by the exit hook).
after(stopAll)

void describe('startRedisServer + openMixedSessions (standalone, unix socket, ::1)', () => {
  void it('shows every opened session in CLIENT LIST, and none after close()', async () => {
    const server = await startRedisServer({ password: 'pw', unixSocket: true, ipv6: true })
    try {
      const sessions = await openMixedSessions(server, { namePrefix: 'mix' })
      const hasIpv6 = Object.values(networkInterfaces()).some((list) =>
        (list ?? []).some((a) => a.address === '::1')
      )
      assert.equal(sessions.expected.length, hasIpv6 ? 19 : 18, JSON.stringify(sessions.skipped))
      const lines = parseClientList(await server.cli('CLIENT', 'LIST'))
      for (const expected of sessions.expected) {
        const found = lines.filter((l) => matches(l, expected, server.unixSocket))
        assert.equal(found.length, 1, `one line for ${JSON.stringify(expected)}`)
      }
      await sessions.close()
      const after = parseClientList(await server.cli('CLIENT', 'LIST'))
      assert.deepEqual(
        after.filter((l) => l.get('name')?.startsWith('mix-')),
        [],
        'named sessions gone after close()'
      )
    } finally {
      await server.stop()
    }
  })
})

void describe('startReplication', () => {
  void it('links two replicas to the master', async () => {
    const group = await startReplication({ replicas: 2, password: 'secret' })
    try {
      const master = parseInfo(await group.master.cli('INFO', 'replication'))
      assert.equal(master.get('role'), 'master')
      assert.equal(master.get('connected_slaves'), '2')
      for (const replica of group.replicas) {
        const info = parseInfo(await replica.cli('INFO', 'replication'))
        assert.equal(info.get('master_link_status'), 'up')
        assert.equal(info.get('master_port'), String(group.master.port))
      }
    } finally {
      await group.stop()
    }
  })
})

void describe('startCluster', () => {
  void it('builds 3 masters and 3 replicas, all online on every node', async () => {
    const cluster = await startCluster()
    try {
      assert.equal(cluster.masters.length, 3)
      assert.equal(cluster.replicas.length, 3)
      for (const node of cluster.nodes) {
        const listed = (await clusterShards(node)).flatMap((s) => s.nodes)
        assert.equal(listed.length, 6)
        assert.ok(listed.every((n) => n.health === 'online'))
        const roleOf = (port: number) => listed.find((n) => n.port === port)?.role
        assert.ok(cluster.masters.every((m) => roleOf(m.port) === 'master'))
        assert.ok(cluster.replicas.every((r) => roleOf(r.port) === 'replica'))
      }
    } finally {
      await cluster.stop()
    }
  })
})

void describe('startSentinelDeployment', () => {
  void it('has every sentinel report both replicas and the master address', async () => {
    const deployment = await startSentinelDeployment()
    try {
      assert.equal(deployment.sentinels.length, 3)
      const replicaPorts = deployment.replicas.map((r) => r.port).sort()
      for (const sentinel of deployment.sentinels) {
        const view = await sentinelView(sentinel, deployment.masterName)
        assert.deepEqual(view.replicas.map((r) => r.port).sort(), replicaPorts)
        assert.equal(view.otherSentinels, 2)
        const addr = await sentinel.cli(
          'SENTINEL',
          'GET-MASTER-ADDR-BY-NAME',
          deployment.masterName
        )
        assert.deepEqual(addr.trim().split('\n'), ['127.0.0.1', String(deployment.master.port)])
      }
    } finally {
      await deployment.stop()
    }
  })
})

void describe('server handles', () => {
  void it('pause() stops answers and resume() brings them back', async () => {
    const server = await startRedisServer()
    try {
      server.pause()
      await assert.rejects(pingReplies(server.port, { timeoutMs: 300 }), /timed out/)
      server.resume()
      assert.deepEqual(await pingReplies(server.port), ['+PONG'])
    } finally {
      await server.stop()
    }
  })

  void it('stop() leaves no process and no directory, also after kill()', async () => {
    const a = await startRedisServer({ unixSocket: true })
    const b = await startRedisServer()
    b.kill()
    await Promise.all([a.stop(), b.stop()])
    for (const s of [a, b]) {
      assert.equal(isPidAlive(s.pid), false, `pid ${s.pid} gone`)
      assert.equal(existsSync(s.dir), false, `${s.dir} removed`)
    }
    assert.deepEqual(liveProcesses(), [])
  })

  void it('kills the servers of a test process that exits, throws or is SIGTERMed', async () => {
    // The three fixtures run at once: each is a separate node process.
    const reports = await Promise.all((['exit', 'throw', 'wait'] as const).map(runExitFixture))
    for (const { mode, pid, dir } of reports) {
      await waitFor(() => Promise.resolve(!isPidAlive(pid)), { what: `${mode}: pid ${pid} to die` })
      assert.equal(existsSync(dir), false, `${mode}: ${dir} removed`)
    }
  })
})

/** Runs exit-fixture.ts; for `wait`, SIGTERMs it once it reported its server. */
async function runExitFixture(mode: string): Promise<{ mode: string; pid: number; dir: string }> {
  const file = fileURLToPath(new URL('./exit-fixture.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', file, mode], {
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8')
    if (mode === 'wait' && out.includes('\n')) child.kill('SIGTERM')
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const report: unknown = JSON.parse(out.split('\n')[0] ?? '')
  assert.ok(typeof report === 'object' && report !== null && 'pid' in report && 'dir' in report)
  const { pid, dir } = report
  assert.ok(typeof pid === 'number' && typeof dir === 'string')
  assert.notEqual(code, 0, `${mode}: the fixture process failed as intended`)
  return { mode, pid, dir }
}

function parseClientList(text: string): Map<string, string>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = new Map<string, string>()
      for (const pair of line.trim().split(' ')) {
        const eq = pair.indexOf('=')
        fields.set(pair.slice(0, eq), pair.slice(eq + 1))
      }
      return fields
    })
}

function matches(
  line: Map<string, string>,
  expected: ExpectedSession,
  unixSocket: string | undefined
): boolean {
  const addr = line.get('addr') ?? ''
  const viaOk =
    expected.via === 'unix'
      ? unixSocket !== undefined && addr.startsWith(`${unixSocket}:`)
      : expected.via === 'ipv6'
        ? addr.startsWith('[::1]:')
        : addr.startsWith('127.0.0.1:')
  const flags = line.get('flags') ?? ''
  return (
    viaOk &&
    line.get('name') === expected.name &&
    line.get('db') === String(expected.db) &&
    [...(expected.flagsInclude ?? '')].every((f) => flags.includes(f)) &&
    (expected.cmd === undefined || line.get('cmd') === expected.cmd)
  )
}
