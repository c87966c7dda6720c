/**
 * A Sentinel failover between two GetRedisAllSession calls (through a real server): the second
 * call re-discovers the deployment and names the promoted replica `…-db-0#<newport>`, role master,
 * with every node's own sessions.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openNamedSessions, type NamedSessions } from '../cli/live-sessions.ts'
import { startSentinelDeployment, type SentinelDeployment } from '../support/redis-sentinel.ts'
import { sentinelView } from '../support/sentinel-view.ts'
import { waitFor } from '../support/wait.ts'
import {
  ADMIN,
  callApi,
  dataOf,
  nodesOf,
  sessionNames,
  startLiveServer,
  type LiveServer,
} from './support/live-api.ts'

const ID = 'r-rel-sentinel'
const PASSWORD = 'Sentinel-Reliability-Pw-1c7e'

/** The master address a sentinel gives for `name`, as `host:port`. */
async function masterOf(sentinel: { cli(...args: string[]): Promise<string> }, name: string) {
  const [host, port] = (await sentinel.cli('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name))
    .trim()
    .split('\n')
  return `${host}:${port}`
}

void describe('a Sentinel failover between two calls', () => {
  let deployment: SentinelDeployment | undefined
  let live: LiveServer | undefined
  const sessions = new Map<number, NamedSessions>()
  const d = (): SentinelDeployment => need(deployment, 'deployment')

  before(async () => {
    deployment = await startSentinelDeployment({ password: PASSWORD, downAfterMs: 2000 })
    await openSessions('s')
    live = await startLiveServer()
    dataOf(
      await callApi(live.url, ADMIN, 'AddRedisInstance', {
        InstanceId: ID,
        Topology: 'sentinel',
        Endpoints: d()
          .sentinels.map((s) => `127.0.0.1:${s.port}`)
          .join(','),
        SentinelMasterName: d().masterName,
        Password: PASSWORD,
      })
    )
  })
  after(async () => {
    await Promise.all([...sessions.values()].map((s) => s.close()))
    await live?.close()
    await deployment?.stop()
  })

  /**
   * Opens 8 sessions named `<tag><port>-<i>` on every data node. Sentinel kills the normal and
   * pub/sub clients of the instances it reconfigures, so each phase opens its own.
   */
  async function openSessions(tag: string): Promise<void> {
    await Promise.all([...sessions.values()].map((s) => s.close()))
    sessions.clear()
    for (const node of [d().master, ...d().replicas]) {
      sessions.set(
        node.port,
        await openNamedSessions(node, { count: 8, prefix: `${tag}${node.port}` })
      )
    }
  }

  /** Calls once; checks every node ok with exactly its own named sessions; returns the nodes. */
  async function callAndCheck(tag: string) {
    const answer = await callApi(need(live, 'server').url, ADMIN, 'GetRedisAllSession', {
      InstanceId: ID,
    })
    assert.ok(!answer.text.includes(PASSWORD), 'the password is never in a body')
    const data = dataOf(answer)
    const nodes = nodesOf(data)
    assert.equal(data['Complete'], true, JSON.stringify(nodes))
    const listed = sessionNames(data)
    for (const node of nodes) {
      const port = Number(node.Address.split(':')[1])
      const mine = listed
        .filter(([nodeId, name]) => nodeId === node.NodeId && new RegExp(`^${tag}\\d+-`).test(name))
        .map(([, name]) => name)
        .sort()
      const opened = need(sessions.get(port), `sessions of ${port}`).names.filter((n) => n !== '')
      assert.deepEqual(mine, [...opened].sort(), node.NodeId)
    }
    return nodes
  }

  void it('lists the new master as …-db-0#<newport>, role master, after SENTINEL FAILOVER', async () => {
    const oldPort = d().master.port
    const first = await callAndCheck('s')
    assert.deepEqual(
      first.filter((n) => n.Role === 'master').map((n) => n.NodeId),
      [`${ID}-db-0#${oldPort}`]
    )
    const sentinel = need(d().sentinels[0], 'a sentinel')
    await sentinel.cli('SENTINEL', 'FAILOVER', d().masterName)
    let newMaster = ''
    await waitFor(
      async () => {
        const seen = await Promise.all(d().sentinels.map((s) => masterOf(s, d().masterName)))
        newMaster = seen[0] ?? ''
        if (newMaster === `127.0.0.1:${oldPort}` || seen.some((m) => m !== newMaster)) return false
        // …and the old master has rejoined as a healthy replica of the new one.
        const view = await sentinelView(sentinel, d().masterName)
        return view.replicas.filter((r) => r.healthy).length === d().replicas.length
      },
      { what: 'every sentinel to report the new master', timeoutMs: 90_000 }
    )
    const newPort = Number(newMaster.split(':')[1])
    assert.ok(
      d().replicas.some((r) => r.port === newPort),
      'a former replica was promoted'
    )
    await openSessions('t')
    const second = await callAndCheck('t')
    assert.deepEqual(
      second.filter((n) => n.Role === 'master').map((n) => [n.NodeId, n.Address]),
      [[`${ID}-db-0#${newPort}`, `127.0.0.1:${newPort}`]]
    )
    const demoted = need(
      second.find((n) => n.Address === `127.0.0.1:${oldPort}`),
      'the old master'
    )
    assert.equal(demoted.Role, 'replica')
    assert.match(demoted.NodeId, new RegExp(`^${ID}-db-0-replica-\\d#${oldPort}$`))
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
