/**
 * Secrets hygiene: a real server logs (pino, level trace) to a file while it is used the way an
 * operator and an attacker would — console sign-in (right and wrong passwords), user and key
 * creation, an instance added with its password (probed against a real redis-server), a wrong
 * instance password, signed calls with temporary credentials, and failed authentications of every
 * kind. Then the log file, the audit log and every answer are searched for each secret used.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { buildSignedRequest } from '../../src/api/signature/sign.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts'
import { recordSecret } from '../support/secrets.ts'
import { testLogger } from '../support/test-logs.ts'
import {
  ADMIN,
  ADMIN_PASSWORD,
  callApi,
  dataOf,
  isRecord,
  parseObject,
  startLiveServer,
  type ApiAnswer,
  type Credentials,
  type LiveServer,
} from './support/live-api.ts'

const REDIS_PASSWORD = 'Hygiene-Redis-Pw-5d9c3e'
const WRONG_REDIS_PASSWORD = 'Hygiene-Wrong-Redis-Pw-0a4f'
const USER_PASSWORD = 'Hygiene-User-Pw-81b7'
const WRONG_CONSOLE_PASSWORD = 'Hygiene-Wrong-Console-Pw-c3d2'

void describe('secrets never reach the log', () => {
  let logDir = ''
  let live: LiveServer | undefined
  let redis: RedisServerHandle | undefined
  const secrets = new Map<string, string>()
  const bodies: string[] = []
  /** Searched for below, and recorded for the search of the whole suite's logs. */
  const keep = (what: string, value: string) => {
    secrets.set(what, value)
    recordSecret(what, value)
  }

  before(async () => {
    logDir = await makeTempDir('rs-hygiene-')
    redis = await startRedisServer({ password: REDIS_PASSWORD })
    const destination = pino.destination({ dest: join(logDir, 'server.log'), sync: true })
    // Its own file, read below; and the suite's log, searched again after the whole suite.
    const own = { level: 'trace' as const, stream: destination }
    live = await startLiveServer({ logger: testLogger('hygiene', { level: 'trace', also: own }) })
  })
  after(async () => {
    await live?.close()
    await redis?.stop()
    await removeTempDir(logDir)
  })

  const call = async (
    credentials: Credentials,
    action: string,
    params = {}
  ): Promise<ApiAnswer> => {
    const answer = await callApi(need(live, 'server').url, credentials, action, params)
    bodies.push(answer.text)
    return answer
  }
  const signIn = async (userName: string, password: string) => {
    const response = await fetch(`${need(live, 'server').url}/console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ UserName: userName, Password: password }),
    })
    const text = await response.text()
    return { status: response.status, json: parseObject(text) }
  }

  void it('exercises sign-in, keys, instances and failed authentications', async () => {
    const server = need(live, 'server')
    keep('admin AccessKeySecret', ADMIN.accessKeySecret)
    keep('admin console password', ADMIN_PASSWORD)
    keep('master key', server.masterKeyHex)
    for (const [what, value] of Object.entries({
      'instance password': REDIS_PASSWORD,
      'wrong instance password': WRONG_REDIS_PASSWORD,
      'user password': USER_PASSWORD,
      'wrong console password': WRONG_CONSOLE_PASSWORD,
    }))
      keep(what, value)

    // Console sign-in: temporary credentials (AccessKeySecret + SecurityToken).
    const session = await signIn('admin', ADMIN_PASSWORD)
    assert.equal(session.status, 200)
    const temp: Credentials = {
      accessKeyId: String(session.json['AccessKeyId']),
      accessKeySecret: String(session.json['AccessKeySecret']),
      securityToken: String(session.json['SecurityToken']),
    }
    keep('temporary AccessKeySecret', temp.accessKeySecret)
    keep('SecurityToken', temp.securityToken ?? '')
    assert.equal((await signIn('admin', WRONG_CONSOLE_PASSWORD)).status, 400)
    assert.equal((await signIn('nobody', WRONG_CONSOLE_PASSWORD)).status, 400)

    // A user with a console password and an AccessKey, created with the temporary credentials.
    dataOf(await call(temp, 'CreateUser', { UserName: 'ops', Password: USER_PASSWORD }))
    const created = dataOf(await call(temp, 'CreateAccessKey', { UserName: 'ops' }))
    const key = created['AccessKey']
    assert.ok(isRecord(key))
    const ops: Credentials = {
      accessKeyId: String(key['AccessKeyId']),
      accessKeySecret: String(key['AccessKeySecret']),
    }
    keep('new AccessKeySecret', ops.accessKeySecret)
    dataOf(
      await call(temp, 'UpdateLoginProfile', { UserName: 'ops', Password: `${USER_PASSWORD}!` })
    )
    keep('changed user password', `${USER_PASSWORD}!`)
    assert.equal((await signIn('ops', `${USER_PASSWORD}!`)).status, 200)

    // An instance with its password (probed), a wrong one, and its sessions.
    const endpoint = `127.0.0.1:${need(redis, 'redis').port}`
    const instance = { Topology: 'standalone', Endpoints: endpoint }
    dataOf(
      await call(ADMIN, 'AddRedisInstance', {
        InstanceId: 'r-hyg',
        ...instance,
        Password: REDIS_PASSWORD,
      })
    )
    const wrong = await call(ADMIN, 'AddRedisInstance', {
      InstanceId: 'r-hyg-wrong',
      ...instance,
      Password: WRONG_REDIS_PASSWORD,
    })
    assert.equal(wrong.json['Code'], 'InstanceConnectionFailed')
    dataOf(await call(temp, 'GetRedisAllSession', { InstanceId: 'r-hyg' }))
    dataOf(
      await call(ADMIN, 'ModifyRedisInstance', { InstanceId: 'r-hyg', Password: REDIS_PASSWORD })
    )

    // Failed authentications: wrong secrets, a wrong token, a V1 GET with the token in its URL.
    const failures: Array<[Credentials, string]> = [
      [{ ...ADMIN, accessKeySecret: `${ADMIN.accessKeySecret}x` }, 'SignatureDoesNotMatch'],
      [{ ...ops, accessKeySecret: 'guessed-secret-value' }, 'SignatureDoesNotMatch'],
      [
        { ...temp, securityToken: `${temp.securityToken ?? ''}x` },
        'InvalidSecurityToken.MismatchWithAccessKey',
      ],
      [{ ...ops, securityToken: temp.securityToken }, 'InvalidSecurityToken.MismatchWithAccessKey'],
    ]
    for (const [credentials, code] of failures) {
      assert.equal((await call(credentials, 'DescribeRedisInstances')).json['Code'], code)
    }
    const v1 = buildSignedRequest({
      endpoint: server.url,
      scheme: 'V1',
      action: 'DescribeRedisInstances',
      accessKeyId: temp.accessKeyId,
      accessKeySecret: temp.accessKeySecret,
      securityToken: temp.securityToken ?? '',
    })
    const v1Response = await fetch(v1.url)
    bodies.push(await v1Response.text())
    assert.equal(v1Response.status, 200)
    assert.equal((await call(temp, 'DeleteConsoleSession')).status, 200)
    const revoked = await call(temp, 'DescribeRedisInstances')
    assert.notEqual(revoked.status, 200, 'a signed-out session is refused')
    bodies.push((await call(ADMIN, 'DescribeAuditLog', { PageSize: '100' })).text)
  })

  void it('no secret appears in the log file, the audit log or any answer', async () => {
    await live?.close()
    live = undefined
    const log = await readFile(join(logDir, 'server.log'), 'utf8')
    const lines = log.split('\n').filter((line) => line !== '')
    // The log really captured the run: one line per RPC call (the sign-in route has none).
    const rpcLines = lines.filter((line) => line.includes('"msg":"rpc"')).length
    assert.ok(rpcLines >= 15, `only ${rpcLines} rpc lines in ${lines.length}`)
    assert.equal(secrets.size, 11, [...secrets.keys()].join(', '))
    for (const [what, value] of secrets) {
      assert.ok(value.length >= 8, `${what} is a real secret`)
      assert.ok(!log.includes(value), `the log contains the ${what}`)
      for (const body of bodies) {
        const allowed = body.includes('"AccessKeySecret"') && what === 'new AccessKeySecret'
        if (!allowed) assert.ok(!body.includes(value), `an answer contains the ${what}`)
      }
    }
    process.stdout.write(
      `# secrets hygiene: ${secrets.size} secrets, ${lines.length} log lines, ` +
        `${bodies.length} answers checked\n`
    )
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
