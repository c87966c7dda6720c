import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startCluster, type Cluster } from '../support/redis-cluster.ts'
import type { RedisServerHandle } from '../support/redis-server.ts'
import { startSentinelDeployment, type SentinelDeployment } from '../support/redis-sentinel.ts'
import { assertDasInvariants, parseDasData } from './das-data.ts'
import { openClient, openVerifier } from './live-sessions.ts'
import { assertOneLineFailure, ensureCliBuilt, runCli, runCliOk } from './run-cli.ts'

const DOC = fileURLToPath(new URL('../../docs/redis-access.md', import.meta.url))
const USER = 'redis-sessions'
const PASSWORD = 'Access-Doc-Pw-3c9e'

/** The `ACL SETUSER` lines of docs/redis-access.md's code blocks, password filled in. */
async function documentedRules(): Promise<string[]> {
  const text = await readFile(DOC, 'utf8')
  const blocks = [...text.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
  return blocks
    .flatMap((block) => block.split('\n'))
    .filter((line) => line.startsWith('ACL SETUSER '))
    .map((line) => line.replace('>CHANGE-ME', `>${PASSWORD}`))
}

/** The one documented rule whose text satisfies `pick`. */
function rule(rules: readonly string[], what: string, pick: (line: string) => boolean): string {
  const found = rules.filter(pick)
  assert.equal(found.length, 1, `one documented rule for ${what}: ${JSON.stringify(rules)}`)
  return found[0] ?? ''
}

/** Applies `ACL SETUSER …` (a line of the doc) with redis-cli, as an operator would. */
async function apply(server: RedisServerHandle, line: string): Promise<void> {
  const words = line.split(/\s+/)
  assert.deepEqual(words.slice(0, 2), ['ACL', 'SETUSER'])
  assert.equal(words[2], USER)
  await server.cli(...words)
}

// A master + replica behind one sentinel, and a 3-master cluster, each node (and the sentinel)
// with the documented user; the service's listing and kill run as that user only.
void describe('docs/redis-access.md: the documented ACL user lists and kills', () => {
  let rules: string[] = []
  let sentinel: SentinelDeployment | undefined
  let cluster: Cluster | undefined
  let dir = ''
  const d = () => sentinel ?? assert.fail('no sentinel deployment')
  const c = () => cluster ?? assert.fail('no cluster')
  const auth = `${USER}:${PASSWORD}`
  const masterUrl = () => `redis://${auth}@127.0.0.1:${d().master.port}`
  const listRule = () =>
    rule(rules, 'listing on 7.0+', (l) => l.includes('+client|list') && l.includes('shards'))

  before(async () => {
    await ensureCliBuilt()
    rules = await documentedRules()
    dir = await makeTempDir('rs-cli-access-')
    ;[sentinel, cluster] = await Promise.all([
      startSentinelDeployment({ replicas: 1, sentinels: 1, quorum: 1 }),
      startCluster({ masters: 3, replicasPerMaster: 0 }),
    ])
    const dataNodes = [d().master, ...d().replicas, ...c().masters, ...c().replicas]
    await Promise.all(dataNodes.map((node) => apply(node, listRule())))
    const sentinelRule = rule(rules, 'sentinels', (l) => l.includes('+sentinel|'))
    await Promise.all(d().sentinels.map((node) => apply(node, sentinelRule)))
  })
  after(async () => {
    await Promise.all([sentinel?.stop(), cluster?.stop()])
    if (dir !== '') await removeTempDir(dir)
  })

  void it('documents the four rules this test applies, without +hello, +ping or +role', () => {
    assert.equal(rules.length, 4, JSON.stringify(rules))
    for (const line of rules) assert.doesNotMatch(line, /\+(hello|ping|role|@)/)
    assert.match(listRule(), /resetkeys resetchannels -@all /)
  })

  void it('lists a master and its replica (standalone discovery) with the listing rule', async () => {
    const data = parseDasData(await runCliOk(['sessions', masterUrl(), '--json']))
    assertDasInvariants(data)
    assert.equal(data.Complete, true)
    const replica = d().replicas[0] ?? assert.fail('no replica')
    assert.deepEqual(
      data.Nodes.map((n) => [n.NodeId, n.Status]),
      [
        [`cli-db-0#${d().master.port}`, 'ok'],
        [`cli-db-0-replica-0#${replica.port}`, 'ok'],
      ]
    )
    // The replication link on each side is listed: the user sees every session, not only its own.
    assert.ok(data.Sessions.some((s) => s.Flags === 'S'))
    assert.ok(data.Sessions.some((s) => s.Flags === 'M'))
  })

  void it('lists the master and replica through the sentinel with the sentinel rule', async () => {
    const sentinelPort = d().sentinels[0]?.port ?? assert.fail('no sentinel')
    const url = `redis://${auth}@127.0.0.1:${sentinelPort}`
    const data = parseDasData(
      await runCliOk(['sessions', url, '--sentinel', d().masterName, '--json'])
    )
    assert.equal(data.Complete, true)
    assert.deepEqual(data.Nodes.length, 2)
    // The sentinel answered as the documented user, not anonymously.
    await d().sentinels[0]?.cli('ACL', 'SETUSER', USER, '-sentinel|replicas')
    try {
      const refused = await runCli(['sessions', url, '--sentinel', d().masterName])
      assertOneLineFailure(refused, { cause: /no permission for SENTINEL REPLICAS: NOPERM/ })
    } finally {
      await d().sentinels[0]?.cli('ACL', 'SETUSER', USER, '+sentinel|replicas')
    }
  })

  void it('lists every node of a cluster with the listing rule', async () => {
    const seed = c().masters[0] ?? assert.fail('no seed')
    const data = parseDasData(
      await runCliOk(['sessions', `redis://${auth}@127.0.0.1:${seed.port}`, '--json'])
    )
    assert.equal(data.Complete, true)
    assert.deepEqual(
      data.Nodes.map((n) => n.Status),
      ['ok', 'ok', 'ok']
    )
  })

  void it('each command of the listing rule is needed: without it, one line naming it', async () => {
    const group = [d().master, ...d().replicas]
    const setUser = (rule: string) =>
      Promise.all(group.map((n) => n.cli('ACL', 'SETUSER', USER, rule)))
    const cases: Array<[string, RegExp]> = [
      ['client|list', /no permission for CLIENT LIST: NOPERM/],
      ['client|setname', /no permission for CLIENT SETNAME: NOPERM/],
      ['info', /no permission for INFO: NOPERM/],
    ]
    for (const [command, cause] of cases) {
      await setUser(`-${command}`)
      try {
        assertOneLineFailure(await runCli(['sessions', masterUrl()]), {
          cause,
          secrets: [PASSWORD],
        })
      } finally {
        await setUser(`+${command}`)
      }
    }
  })

  void it('kills with the kill rule added, and not without it', async () => {
    const dataDir = join(dir, 'store')
    await runCliOk(['instances', 'add', 'r-access', masterUrl(), '--data-dir', dataDir])
    const victims = await Promise.all(
      ['victim-1', 'victim-2'].map((name) => openClient(d().master, name))
    )
    const verifier = await openVerifier(d().master)
    try {
      const kill = ['kill', 'r-access', '--name', 'victim-*', '--yes', '--data-dir', dataDir]
      const refused = await runCli(kill)
      assert.equal(refused.code, 1, refused.stderr)
      assert.match(refused.stdout, /\bfailed\b.*NOPERM.*client\|kill/)
      const killRule = rule(rules, 'kills', (l) => l.includes('+client|kill'))
      await apply(d().master, killRule)
      const killed = await runCliOk(kill)
      assert.match(killed, /killed 2\b/)
      const names = (await verifier.list()).map((s) => s.name)
      assert.ok(!names.includes('victim-1') && !names.includes('victim-2'), names.join(' '))
    } finally {
      verifier.close()
      for (const victim of victims) victim.disconnect()
      await d().master.cli('ACL', 'SETUSER', USER, '-client|kill')
    }
  })
})
