import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { parseKillParams } from '../../src/api/actions/kill-redis-sessions/kill-params.ts'
import { MAX_KILL_SESSIONS } from '../../src/api/actions/kill-redis-sessions/session-refs.ts'
import { ApiError } from '../../src/api/errors/api-error.ts'
import { assertApiError, signedInject } from './support/signed-inject.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

/** The `Detail` of the InvalidParams that `parseKillParams` throws for `params`. */
function rejection(params: Record<string, string>): string {
  try {
    parseKillParams(new Map(Object.entries({ InstanceId: 'r-kill', ...params })))
  } catch (error) {
    assert.ok(error instanceof ApiError, `an ApiError, got ${String(error)}`)
    assert.equal(error.code, 'InvalidParams')
    return error.detail ?? ''
  }
  assert.fail(`accepted ${JSON.stringify(params)}`)
}

void describe('KillRedisSessions parameters', () => {
  void it('refuses a call with neither Sessions nor a filter, pointing to KillInstanceAllSession', () => {
    assert.match(rejection({}), /KillInstanceAllSession/)
    assert.match(rejection({ DryRun: 'true' }), /Sessions or one or more filters/)
  })

  void it('refuses Sessions together with filters, naming the filters', () => {
    const detail = rejection({ Sessions: '[]', Name: 'x*', Db: '1' })
    assert.match(detail, /not both/)
    assert.match(detail, /Name, Db/)
  })

  void it('names the problem of a malformed Sessions list', () => {
    assert.match(rejection({ Sessions: '[{"NodeId":' }), /Sessions is not valid JSON/)
    assert.match(rejection({ Sessions: '{"NodeId":"n","Id":1}' }), /must be a JSON array/)
    assert.match(rejection({ Sessions: '[{"NodeId":"n","Id":1}, 7]' }), /Sessions\[1\] must be/)
    assert.match(rejection({ Sessions: '[{"Id":1}]' }), /Sessions\[0\]\.NodeId/)
    assert.match(rejection({ Sessions: '[{"NodeId":"n","Id":"1"}]' }), /Sessions\[0\]\.Id/)
    assert.match(rejection({ Sessions: '[{"NodeId":"n","Id":-1}]' }), /Sessions\[0\]\.Id/)
    assert.match(rejection({ Sessions: '[{"NodeId":"n","Id":1.5}]' }), /Sessions\[0\]\.Id/)
  })

  void it(`accepts ${MAX_KILL_SESSIONS} sessions and refuses one more`, () => {
    const list = (n: number) =>
      JSON.stringify(Array.from({ length: n }, (_, i) => ({ NodeId: 'r-kill-db-0#6379', Id: i })))
    const request = parseKillParams(
      new Map([
        ['InstanceId', 'r-kill'],
        ['Sessions', list(MAX_KILL_SESSIONS)],
      ])
    )
    assert.equal(request.selection.kind, 'sessions')
    assert.equal(
      request.selection.kind === 'sessions' ? request.selection.sessions.length : 0,
      MAX_KILL_SESSIONS
    )
    assert.match(rejection({ Sessions: list(MAX_KILL_SESSIONS + 1) }), /at most 10000/)
  })

  void it('drops duplicate sessions and ignores extra keys of each item', () => {
    const request = parseKillParams(
      new Map([
        ['InstanceId', 'r-kill'],
        [
          'Sessions',
          '[{"NodeId":"a","Id":3,"Name":"x"},{"NodeId":"a","Id":3},{"NodeId":"b","Id":3}]',
        ],
      ])
    )
    assert.deepEqual(request.selection.kind === 'sessions' ? request.selection.sessions : [], [
      { nodeId: 'a', id: 3 },
      { nodeId: 'b', id: 3 },
    ])
    assert.equal(request.dryRun, false)
  })

  void it('refuses bad filter values, naming the parameter', () => {
    assert.match(rejection({ ClientIp: '10.0.0.0/33' }), /^ClientIp: /)
    assert.match(rejection({ ClientIp: 'not-an-ip' }), /^ClientIp: /)
    assert.match(rejection({ Db: '-1' }), /Db must be an integer/)
    assert.match(rejection({ MinIdle: 'soon' }), /MinIdle must be an integer/)
    assert.match(rejection({ Flags: 'S,M' }), /Flags must be/)
    assert.match(rejection({ Name: 'x', DryRun: 'maybe' }), /DryRun must be true or false/)
  })

  void it('reads filters and DryRun into one request', () => {
    const request = parseKillParams(
      new Map([
        ['InstanceId', 'r-kill'],
        ['ClientIp', '10.0.0.0/8'],
        ['MinIdle', '30'],
        ['DryRun', 'TRUE'],
      ])
    )
    assert.equal(request.dryRun, true)
    assert.equal(request.selection.kind, 'filter')
    if (request.selection.kind !== 'filter') return
    assert.equal(request.selection.described, 'ClientIp=10.0.0.0/8 MinIdle=30')
    assert.deepEqual(
      Object.entries(request.selection.filter).filter(([, value]) => value !== undefined),
      [
        ['clientIp', '10.0.0.0/8'],
        ['minIdle', 30],
      ]
    )
  })
})

void describe('KillRedisSessions over RPC: parameter errors come before anything else', () => {
  let test: TestApp | undefined
  before(async () => {
    test = await createTestApp()
  })
  after(async () => {
    await test?.close()
  })

  void it('answers InvalidParams (400) with the reason in Detail for an invalid CIDR', async () => {
    const app = test?.app
    assert.ok(app !== undefined && test !== undefined)
    const response = await signedInject(app, {
      action: 'KillRedisSessions',
      params: { InstanceId: 'r-any', ClientIp: '300.1.2.3/8' },
      ...test.admin,
    })
    assert.match(assertApiError(response, 'InvalidParams', 400), /ClientIp/)
  })

  void it('answers InvalidInstanceId.NotFound for an instance that is not registered', async () => {
    const app = test?.app
    assert.ok(app !== undefined && test !== undefined)
    const response = await signedInject(app, {
      action: 'KillRedisSessions',
      params: { InstanceId: 'r-missing', Name: 'x*', DryRun: 'true' },
      ...test.admin,
    })
    assertApiError(response, 'InvalidInstanceId.NotFound', 404)
  })
})
