import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testLogger } from '../support/test-logs.ts'
import { openLocalStore } from '../../src/cli/local-store.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/server/start-server.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { waitFor } from '../support/wait.ts'
import { openNamedSessions, parseListedSessions, type NamedSessions } from './live-sessions.ts'
import { assertOneLineFailure, ensureCliBuilt, runCli, runCliOk } from './run-cli.ts'

const INSTANCE = 'r-cli-kill'
const KEY = { id: 'LTAIcliKillTest0001', secret: 'cli-kill-test-secret-0123456789' }

interface KillRow {
  NodeId: string
  Id: number
  Name: string
  Result: string
}

/** `kill --json` output: `{Killed, Sessions}` with the fields compared here. */
function parseKill(stdout: string): { Killed: number; Sessions: KillRow[] } {
  const data: unknown = JSON.parse(stdout)
  assert.ok(typeof data === 'object' && data !== null && 'Killed' in data && 'Sessions' in data)
  const { Killed, Sessions } = data
  assert.ok(typeof Killed === 'number' && Array.isArray(Sessions))
  const rows = Sessions.map((item: unknown): KillRow => {
    assert.ok(typeof item === 'object' && item !== null)
    const get = (key: string): unknown => Reflect.get(item, key)
    const [NodeId, Id, Name, Result] = [get('NodeId'), get('Id'), get('Name'), get('Result')]
    assert.ok(typeof NodeId === 'string' && typeof Id === 'number')
    assert.ok(typeof Name === 'string' && typeof Result === 'string')
    return { NodeId, Id, Name, Result }
  })
  return { Killed, Sessions: rows }
}

// One server with `victim-*` and `keep-*` sessions, registered in a local data dir and on a server.
void describe('redis-sessions kill and audit', () => {
  let redis: RedisServerHandle | undefined
  let dataDir = ''
  let serverDir = ''
  let server: RunningServer | undefined
  const opened: NamedSessions[] = []
  const r = (): RedisServerHandle => redis ?? assert.fail('no redis')
  const node = () => `${INSTANCE}-db-0#${r().port}`
  const names = async () => parseListedSessions(await r().cli('CLIENT', 'LIST')).map((s) => s.name)
  const local = (...args: string[]) => [...args, '--data-dir', dataDir]

  before(async () => {
    await ensureCliBuilt()
    redis = await startRedisServer()
    ;[dataDir, serverDir] = await Promise.all([makeTempDir('rs-cli-kill-'), makeTempDir('rs-srv-')])
    const instance = {
      instanceId: INSTANCE,
      topology: 'standalone' as const,
      endpoints: [`127.0.0.1:${r().port}`],
    }
    const store = await openLocalStore({ dataDir, env: process.env })
    await store.store.instances.add(instance).finally(() => store.close())
    const env = {
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: KEY.id,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: KEY.secret,
      REDIS_SESSIONS_ADMIN_PASSWORD: 'cli-kill-admin-password',
    }
    const config = loadConfig(env, { host: '127.0.0.1', port: 0, dataDir: serverDir })
    server = await startServer(config, testLogger('cli-kill'))
    await server.store.instances.add(instance)
    opened.push(await openNamedSessions(r(), { count: 4, prefix: 'victim' }))
    opened.push(await openNamedSessions(r(), { count: 3, prefix: 'keep' }))
  })
  after(async () => {
    await Promise.all(opened.map((sessions) => sessions.close()))
    await server?.close()
    await redis?.stop()
    await Promise.all([dataDir, serverDir].filter((d) => d !== '').map((d) => removeTempDir(d)))
  })

  void it('--dry-run --json lists the victim-* and kills nothing', async () => {
    const out = await runCliOk(local('kill', INSTANCE, '--name', 'victim-*', '--dry-run', '--json'))
    const data = parseKill(out)
    // The whole Data, as the action presents it: each node with its address and role too.
    const { Nodes: nodes } = JSON.parse(out) as { Nodes: Record<string, unknown>[] }
    assert.deepEqual(
      nodes.map((n) => [n['NodeId'], n['Address'], n['Role'], n['Status']]),
      [[node(), `127.0.0.1:${r().port}`, 'master', 'ok']]
    )
    assert.equal(data.Killed, 0)
    assert.deepEqual(
      data.Sessions.map((s) => [s.NodeId, s.Name, s.Result]),
      ['victim-0', 'victim-1', 'victim-2', 'victim-3'].map((n) => [node(), n, 'would-kill'])
    )
    assert.equal((await names()).filter((n) => n.startsWith('victim-')).length, 4)
  })

  void it('refuses to kill without --yes when stdin is not a terminal', async () => {
    const result = await runCli(local('kill', INSTANCE, '--name', 'victim-*'))
    assertOneLineFailure(result, { cause: /refusing to kill without confirmation.*--yes/ })
    assert.equal((await names()).filter((n) => n.startsWith('victim-')).length, 4)
  })

  void it('the same dry run through --endpoint answers the same list', async () => {
    const endpoint = server?.url ?? assert.fail('no server')
    process.env['ALIBABA_CLOUD_ACCESS_KEY_ID'] = KEY.id
    process.env['ALIBABA_CLOUD_ACCESS_KEY_SECRET'] = KEY.secret
    try {
      const args = ['kill', INSTANCE, '--name', 'victim-*', '--dry-run', '--json']
      const remote = parseKill(await runCliOk([...args, '--endpoint', endpoint]))
      const here = parseKill(await runCliOk(local(...args)))
      assert.deepEqual(remote, here)
      assert.equal(remote.Sessions.length, 4)
    } finally {
      delete process.env['ALIBABA_CLOUD_ACCESS_KEY_ID']
      delete process.env['ALIBABA_CLOUD_ACCESS_KEY_SECRET']
    }
  })

  void it('--yes kills the victim-* and keeps the keep-*; --id kills one named session', async () => {
    const out = await runCliOk(local('kill', INSTANCE, '--name', 'victim-*', '--yes'))
    assert.match(out, /^NODE +ID +ADDR +NAME +RESULT/)
    assert.equal(out.match(/ killed\n/g)?.length, 4, out)
    assert.match(out, /^killed 4, would-kill 0, gone 0, protected 0, failed 0$/m)
    await waitFor(async () => !(await names()).some((n) => n.startsWith('victim-')), {
      what: 'victim-* to leave',
      timeoutMs: 5000,
    })
    const keep = parseListedSessions(await r().cli('CLIENT', 'LIST')).filter((s) =>
      s.name.startsWith('keep-')
    )
    assert.equal(keep.length, 3)
    const target = keep[0] ?? assert.fail('no keep session')
    const data = parseKill(
      await runCliOk(local('kill', INSTANCE, '--id', `${node()}:${target.id}`, '--yes', '--json'))
    )
    assert.deepEqual(data.Sessions, [
      { NodeId: node(), Id: target.id, Name: target.name, Result: 'killed' },
    ])
    await waitFor(async () => !(await names()).includes(target.name), {
      what: `${target.name} to leave`,
    })
    assert.equal((await names()).filter((n) => n.startsWith('keep-')).length, 2)
  })

  void it('reports bad input as one line naming the problem', async () => {
    const none = await runCli(local('kill', INSTANCE, '--dry-run'))
    assertOneLineFailure(none, { cause: /InvalidParams: .*KillInstanceAllSession/ })
    const cidr = await runCli(local('kill', INSTANCE, '--ip', '300.0.0.0/8', '--dry-run'))
    assertOneLineFailure(cidr, { cause: /InvalidParams: .*ClientIp/ })
    const id = await runCli(local('kill', INSTANCE, '--id', '42', '--yes'))
    assertOneLineFailure(id, { cause: /--id must be NODEID:ID/ })
    const missing = await runCli(local('kill', 'r-nowhere', '--name', 'x', '--dry-run'))
    assertOneLineFailure(missing, { cause: /InvalidInstanceId\.NotFound/ })
  })

  void it('audit --json lists every local kill, newest first; audit prints a table', async () => {
    const data: unknown = JSON.parse(
      await runCliOk(local('audit', '--json', '--action', 'KillRedisSessions'))
    )
    assert.ok(typeof data === 'object' && data !== null && 'Events' in data && 'Total' in data)
    const events = data.Events
    assert.ok(Array.isArray(events))
    const rows = events.map((event: unknown) => {
      assert.ok(typeof event === 'object' && event !== null)
      const get = (key: string): unknown => Reflect.get(event, key)
      assert.match(String(get('User')), /^local:/)
      assert.equal(get('InstanceId') === INSTANCE || get('InstanceId') === 'r-nowhere', true)
      const detail = get('Detail')
      assert.ok(typeof detail === 'object' && detail !== null)
      const dryRun: unknown = Reflect.get(detail, 'dryRun')
      return [get('Action'), get('Result'), dryRun]
    })
    // Newest first: the NotFound one, the two refused by their parameters (audited as the API
    // audits them), the --id kill, the --yes kill, two dry runs (local). A failure's Detail is
    // the API's {code, reason}.
    assert.deepEqual(rows, [
      ['KillRedisSessions', 'InvalidInstanceId.NotFound', undefined],
      ['KillRedisSessions', 'InvalidParams', undefined],
      ['KillRedisSessions', 'InvalidParams', undefined],
      ['KillRedisSessions', 'Success', false],
      ['KillRedisSessions', 'Success', false],
      ['KillRedisSessions', 'Success', true],
      ['KillRedisSessions', 'Success', true],
    ])
    assert.equal(data.Total, 7)
    const detailOf = (event: unknown): unknown => {
      assert.ok(typeof event === 'object' && event !== null)
      return Reflect.get(event, 'Detail')
    }
    assert.deepEqual(detailOf(events[0]), {
      code: 'InvalidInstanceId.NotFound',
      reason: 'no instance r-nowhere',
    })
    const badCidr = detailOf(events[1])
    assert.ok(typeof badCidr === 'object' && badCidr !== null)
    assert.equal(Reflect.get(badCidr, 'code'), 'InvalidParams')
    assert.match(String(Reflect.get(badCidr, 'reason')), /ClientIp/)
    const table = await runCliOk(local('audit', '--since', '1h'))
    assert.match(table, /^TIME +USER +ACTION +INSTANCE +RESULT/)
    assert.equal(table.match(/KillRedisSessions/g)?.length, 7)
  })
})
