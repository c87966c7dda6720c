import assert from 'node:assert/strict'
import { userInfo } from 'node:os'
import { after, before, describe, it } from 'node:test'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { ensureCliBuilt, runCli, runCliOk } from './run-cli.ts'

const PASSWORD = 'cli-audit-Pw-5e1'

interface Event {
  User: string
  AccessKeyId: string
  SourceIp: string
  Action: string
  InstanceId: string
  Result: string
  Detail: Record<string, unknown>
}

// Registry changes made with --data-dir are audited like the server's (and like local `users
// create`): user local:<OS user>, source IP local, the action's summary or the error and why.
void describe('redis-sessions instances add|remove on the local store: audited', () => {
  let redis: RedisServerHandle | undefined
  let dataDir = ''
  const r = (): RedisServerHandle => redis ?? assert.fail('no redis')
  const local = (...args: string[]) => [...args, '--data-dir', dataDir]

  before(async () => {
    await ensureCliBuilt()
    redis = await startRedisServer({ password: PASSWORD })
    dataDir = await makeTempDir('rs-cli-instances-audit-')
  })
  after(async () => {
    await redis?.stop()
    if (dataDir !== '') await removeTempDir(dataDir)
  })

  const events = async (): Promise<Event[]> => {
    const data: unknown = JSON.parse(await runCliOk(local('audit', '--json')))
    assert.ok(typeof data === 'object' && data !== null)
    const list: unknown = Reflect.get(data, 'Events')
    assert.ok(Array.isArray(list))
    const all: unknown[] = list
    return all.map((event) => {
      assert.ok(typeof event === 'object' && event !== null)
      const get = (key: string): unknown => Reflect.get(event, key)
      const detail = get('Detail')
      assert.ok(typeof detail === 'object' && detail !== null)
      return {
        User: String(get('User')),
        AccessKeyId: String(get('AccessKeyId')),
        SourceIp: String(get('SourceIp')),
        Action: String(get('Action')),
        InstanceId: String(get('InstanceId')),
        Result: String(get('Result')),
        Detail: Object.fromEntries(Object.entries(detail)),
      }
    })
  }

  void it('audits add, a refused add, remove and a refused remove, newest first', async () => {
    const url = `redis://:${PASSWORD}@127.0.0.1:${r().port}`
    await runCliOk(local('instances', 'add', 'r-audited', url))
    const again = await runCli(local('instances', 'add', 'r-audited', url))
    assert.equal(again.code, 2)
    await runCliOk(local('instances', 'remove', 'r-audited'))
    const missing = await runCli(local('instances', 'remove', 'r-never'))
    assert.equal(missing.code, 2)

    const got = await events()
    const me = `local:${userInfo().username}`
    for (const event of got) {
      assert.deepEqual([event.User, event.AccessKeyId, event.SourceIp], [me, '', 'local'])
    }
    assert.deepEqual(
      got.map((e) => [e.Action, e.InstanceId, e.Result]),
      [
        ['DeleteRedisInstance', 'r-never', 'InvalidInstanceId.NotFound'],
        ['DeleteRedisInstance', 'r-audited', 'Success'],
        ['AddRedisInstance', 'r-audited', 'EntityAlreadyExists'],
        ['AddRedisInstance', 'r-audited', 'Success'],
      ]
    )
    const [notFound, , conflict, added] = got
    assert.deepEqual(notFound?.Detail, {
      code: 'InvalidInstanceId.NotFound',
      reason: 'no instance r-never',
    })
    assert.equal(conflict?.Detail['code'], 'EntityAlreadyExists')
    // AddRedisInstance's own summary, as the server writes it.
    const summary = added?.Detail ?? {}
    assert.deepEqual(
      [summary['topology'], summary['endpoints'], summary['hasPassword'], summary['probedNodes']],
      ['standalone', 1, true, 1]
    )
    assert.ok(!JSON.stringify(got).includes(PASSWORD), 'no password in the audit log')
  })
})
