import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openMixedSessions, type MixedSessions } from '../support/client-sessions.ts'
import { waitForReplicationUp } from '../support/redis-replication.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import {
  assertDasInvariants,
  identitiesListed,
  identitiesOf,
  parseDasData,
  type DasData,
} from './das-data.ts'
import {
  openClient,
  openNamedSessions,
  openVerifier,
  type NamedSessions,
  type Verifier,
} from './live-sessions.ts'
import { ensureCliBuilt, runCli, runCliOk } from './run-cli.ts'

// A master (also on a unix socket and ::1) with ~100 mixed sessions, and one replica with ~100.
void describe('redis-sessions sessions: master + 1 replica with ~200 sessions', () => {
  let master: RedisServerHandle | undefined
  let replica: RedisServerHandle | undefined
  let mixed: MixedSessions | undefined
  let plain: NamedSessions | undefined
  let verifiers: Verifier[] = []
  const m = (): RedisServerHandle => need(master, 'master')
  const r = (): RedisServerHandle => need(replica, 'replica')
  const ids = () => ({ master: `cli-db-0#${m().port}`, replica: `cli-db-0-replica-0#${r().port}` })
  /** What CLIENT LIST shows now on [master, replica], minus redis-sessions' own. */
  const listed = () => Promise.all(verifiers.map((v) => v.list()))
  const json = async (...args: string[]): Promise<DasData> => {
    const data = parseDasData(await runCliOk(['sessions', m().url, '--json', ...args]))
    assertDasInvariants(data)
    return data
  }

  before(async () => {
    await ensureCliBuilt()
    master = await startRedisServer({ unixSocket: true, ipv6: true })
    replica = await startRedisServer({ replicaOf: master })
    await waitForReplicationUp(master, [replica])
    mixed = await openMixedSessions(master, { count: 90, namePrefix: 'm' })
    plain = await openNamedSessions(replica, { count: 100, prefix: 'r' })
    verifiers = await Promise.all([openVerifier(master), openVerifier(replica)])
  })
  after(async () => {
    replica?.resume()
    for (const verifier of verifiers) verifier.close()
    await Promise.all([mixed?.close(), plain?.close()])
    await replica?.stop()
    await master?.stop()
  })

  void it('--json lists exactly what CLIENT LIST shows on each node, minus its own', async () => {
    const data = await json()
    const [onMaster = [], onReplica = []] = await listed()
    assert.deepEqual(
      data.Nodes.map((n) => [n.NodeId, n.Address, n.Role, n.Shard, n.Status]),
      [
        [ids().master, `127.0.0.1:${m().port}`, 'master', 0, 'ok'],
        [ids().replica, `127.0.0.1:${r().port}`, 'replica', 0, 'ok'],
      ]
    )
    assert.equal(data.Complete, true)
    assert.deepEqual(identitiesOf(data, ids().master), identitiesListed(onMaster))
    assert.deepEqual(identitiesOf(data, ids().replica), identitiesListed(onReplica))
    assert.ok(data.Total >= 200, `~200 sessions, got ${data.Total}`)
    const clients = new Set(data.Sessions.map((s) => s.Client))
    assert.ok(clients.has(need(m().unixSocket, 'socket')), 'unix socket client keeps its path')
    if (need(mixed, 'mixed').skipped.length === 0) assert.ok(clients.has('::1'))
    // Replication links are sessions too: the replica on the master (S), the master on the replica (M).
    const links = data.Sessions.filter((s) => /[SM]/.test(s.Flags)).map((s) => [s.NodeId, s.Flags])
    assert.deepEqual(links, [
      [ids().master, 'S'],
      [ids().replica, 'M'],
    ])
  })

  void it('--by ip and --by name print the grouped totals of the listing', async () => {
    const data = await json()
    const byIp = rowsOf(await runCliOk(['sessions', m().url, '--by', 'ip']), 'IP')
    assert.deepEqual(
      byIp,
      data.SourceStats.map((s) => [s.Key, Number(s.Count)])
    )
    const byName = rowsOf(await runCliOk(['sessions', m().url, '--by', 'name']), 'NAME')
    const counts = new Map<string, number>()
    for (const s of data.Sessions) {
      const key = s.Name === '' ? '(none)' : s.Name
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    assert.deepEqual(new Map(byName), counts)
    assert.deepEqual(byName[0], ['(none)', counts.get('(none)')], 'largest group first')
    assert.ok(byName.every(([, n], i) => i === 0 || n <= (byName[i - 1]?.[1] ?? 0)))
  })

  void it('--csv prints the header and one row per session; the table has NODE/ID/ADDR', async () => {
    const data = await json()
    const csv = await runCliOk(['sessions', m().url, '--csv'])
    assert.ok(csv.endsWith('\n'))
    const lines = csv.slice(0, -1).split('\r\n')
    assert.equal(
      lines[0],
      'NodeId,Id,Addr,Client,Name,Age,Idle,Flags,Db,Sub,Psub,Multi,Qbuf,QbufFree,Obl,Oll,Omem,' +
        'Events,Cmd,User,LibName,LibVer,TotMem'
    )
    const keys = (rows: string[][]) => rows.map(([node, id]) => `${node} ${id}`).sort()
    assert.deepEqual(
      keys(lines.slice(1).map((line) => line.split(','))),
      keys(data.Sessions.map((s) => [s.NodeId, String(s.Id)]))
    )
    const table = (await runCliOk(['sessions', m().url])).trimEnd().split('\n')
    assert.match(table[0] ?? '', /^NODE\s+ID\s+ADDR\s+NAME\s+AGE\s+IDLE\s+FLAGS\s+DB\s+CMD/)
    assert.equal(table.length, data.Total + 1)
    assert.ok(table.some((line) => line.startsWith(`${ids().replica} `)))
  })

  void it('filters by --name, --ip and --node', async () => {
    const byName = await json('--name', 'm-1*')
    const [onMaster = [], onReplica = []] = await listed()
    assert.deepEqual(
      identitiesOf(byName, ids().master),
      identitiesListed(onMaster, (s) => s.name.startsWith('m-1'))
    )
    assert.equal(identitiesOf(byName, ids().master).length, 11, 'm-1 and m-10 … m-19')
    assert.equal(byName.Sessions.filter((s) => s.NodeId === ids().replica).length, 0)

    const byIp = await json('--ip', '127.0.0.0/8')
    const v4 = (s: { addr: string }) => s.addr.startsWith('127.')
    assert.deepEqual(identitiesOf(byIp, ids().master), identitiesListed(onMaster, v4))
    assert.deepEqual(identitiesOf(byIp, ids().replica), identitiesListed(onReplica, v4))
    assert.ok(
      onMaster.some((s) => !v4(s)),
      'the unix (and ::1) sessions were filtered out'
    )

    const byNode = await json('--node', ids().replica)
    assert.ok(byNode.Sessions.every((s) => s.NodeId === ids().replica))
    assert.deepEqual(identitiesOf(byNode, ids().replica), identitiesListed(onReplica))
    assert.equal(byNode.Nodes.length, 2, 'every node is still reported')
  })

  void it('--min-idle keeps only sessions idle that long', async () => {
    const [verifier] = verifiers
    await waitFor(
      async () =>
        ((await need(verifier, 'verifier').list()).find((s) => s.name === 'm-0')?.idle ?? 0) >= 2,
      { what: 'm-0 to be idle for 2 s', timeoutMs: 10_000, intervalMs: 200 }
    )
    const busy = await openClient(m(), 'm-busy')
    let stop = false
    const pinging = (async () => {
      // Idle counts whole seconds: a PING every 50 ms keeps it at 0.
      while (!stop) {
        await busy.ping()
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    })()
    try {
      const data = await json('--min-idle', '2')
      const names = data.Sessions.map((s) => s.Name)
      assert.ok(names.includes('m-0'))
      assert.ok(!names.includes('m-busy'))
      assert.ok(data.Sessions.every((s) => s.Idle >= 2))
    } finally {
      stop = true
      await pinging
      busy.disconnect()
    }
  })

  void it('exits 1 with a partial result and names the failed node when a replica is paused', async () => {
    r().pause()
    let result
    try {
      result = await runCli(['sessions', m().url, '--json', '--timeout', '500'])
    } finally {
      r().resume()
    }
    assert.equal(result.code, 1, result.stderr)
    const line = `node ${ids().replica} failed: 127.0.0.1:${r().port}: `
    assert.ok(result.stderr.startsWith(line), result.stderr)
    assert.match(result.stderr, /500 ms\n$/)
    assert.equal(result.stderr.split('\n').length, 2, 'one line')
    const data = parseDasData(result.stdout)
    assertDasInvariants(data)
    assert.equal(data.Complete, false)
    assert.deepEqual(
      data.Nodes.map((n) => [n.NodeId, n.Status, n.Error?.Code]),
      [
        [ids().master, 'ok', undefined],
        [ids().replica, 'error', 'Timeout'],
      ]
    )
    const [onMaster = []] = await listed()
    assert.deepEqual(identitiesOf(data, ids().master), identitiesListed(onMaster))
  })
})

/** `[key, total]` rows of a `--by` table whose first header is `header`. */
function rowsOf(text: string, header: string): Array<[string, number]> {
  const [head, ...rows] = text.trimEnd().split('\n')
  assert.match(head ?? '', new RegExp(`^${header}\\s+TOTAL\\s+ACTIVE$`))
  return rows.map((row) => {
    const match = /^(\S+)\s+(\d+)\s+(\d+)$/.exec(row)
    assert.ok(match !== null, `row: ${row}`)
    return [match[1] ?? '', Number(match[2])]
  })
}

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
