import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { testLogger } from '../support/test-logs.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/server/start-server.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { ADMIN, DOCUMENT, jsonArray, KEY_JSON, ok, run } from './identity-run.ts'
import { assertOneLineFailure, ensureCliBuilt } from './run-cli.ts'

void describe('redis-sessions users, keys and policies with --endpoint', () => {
  let dir = ''
  let server: RunningServer | undefined
  let endpoint = ''
  const admin = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: ADMIN.id,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: ADMIN.secret,
  }
  const remote = (...args: string[]) => [...args, '--endpoint', endpoint]

  before(async () => {
    await ensureCliBuilt()
    dir = await makeTempDir('rs-cli-identity-srv-')
    const env = {
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: ADMIN.id,
      REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: ADMIN.secret,
      REDIS_SESSIONS_ADMIN_PASSWORD: 'cli-identity-admin-password',
    }
    server = await startServer(
      loadConfig(env, { host: '127.0.0.1', port: 0, dataDir: dir }),
      testLogger('identity-remote')
    )
    endpoint = server.url
  })
  after(async () => {
    await server?.close()
    if (dir !== '') await removeTempDir(dir)
  })

  it('manages users, keys and policies through the RPC actions', async () => {
    await ok(remote('users', 'create', 'carol', '--password-stdin'), admin, 'carol-password\n')
    const [, id = '', secret = ''] =
      KEY_JSON.exec(await ok(remote('keys', 'create', '--user', 'carol', '--json'), admin)) ??
      assert.fail('not the §8 shape')
    const file = join(dir, 'policy.json')
    await writeFile(file, DOCUMENT)
    await ok(remote('policies', 'create', 'list-users', '--document', file), admin)
    await ok(remote('policies', 'attach', 'list-users', '--user', 'carol'), admin)
    const carol = { ALIBABA_CLOUD_ACCESS_KEY_ID: id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret }
    // REDIS_SESSIONS_ENDPOINT stands for --endpoint.
    const users = jsonArray(
      await ok(['users', 'list', '--json'], { ...carol, REDIS_SESSIONS_ENDPOINT: endpoint })
    )
    assert.deepEqual(
      users.map((u) => u['UserName']),
      ['admin', 'carol']
    )
    const denied = await run(remote('keys', 'list'), carol)
    assertOneLineFailure(denied, {
      cause: /^redis-sessions: NoPermission: .*ram:ListAccessKeys/,
      secrets: [secret],
    })
    const listed = await ok(remote('keys', 'list', '--user', 'carol'), admin)
    assert.ok(listed.includes(id) && !listed.includes(secret))
    await ok(remote('keys', 'disable', id), admin)
    assertOneLineFailure(await run(remote('users', 'list'), carol), {
      cause: /InvalidAccessKeyId\.Inactive/,
    })
    await ok(remote('keys', 'enable', id), admin)
    await ok(remote('users', 'list'), carol)
    const { events } = await (server ?? assert.fail('no server')).store.audit.query({
      userName: 'admin',
      pageNumber: 1,
      pageSize: 100,
    })
    assert.deepEqual(events.map((e) => e.action).reverse(), [
      'CreateUser',
      'CreateAccessKey',
      'CreatePolicy',
      'AttachPolicyToUser',
      'UpdateAccessKey',
      'UpdateAccessKey',
    ])
    assert.ok(
      !JSON.stringify(events).includes(secret) && !JSON.stringify(events).includes('carol-password')
    )
  })

  it('lists and detaches policies through the RPC actions', async () => {
    await ok(remote('users', 'create', 'dave', '--password-stdin'), admin, 'dave-password\n')
    const file = join(dir, 'dave-policy.json')
    await writeFile(file, DOCUMENT)
    await ok(
      remote('policies', 'create', 'dave-reads', '--document', file, '--description', 'for dave'),
      admin
    )
    await ok(remote('policies', 'attach', 'dave-reads', '--user', 'dave'), admin)
    const names = (text: string) => jsonArray(text).map((p) => p['PolicyName'])
    assert.ok(names(await ok(remote('policies', 'list', '--json'), admin)).includes('dave-reads'))
    assert.deepEqual(
      names(await ok(remote('policies', 'list', '--user', 'dave', '--json'), admin)),
      ['dave-reads']
    )
    const table = await ok(remote('policies', 'list'), admin)
    assert.match(table, /^POLICY\s+DESCRIPTION\s+CREATED\n/)
    assert.match(table, /^dave-reads\s+for dave\s+\S+$/m)
    assert.equal(
      await ok(remote('policies', 'detach', 'dave-reads', '--user', 'dave'), admin),
      'detached dave-reads from dave\n'
    )
    assert.deepEqual(
      names(await ok(remote('policies', 'list', '--user', 'dave', '--json'), admin)),
      []
    )
    // Detached, not deleted; detaching again says why it cannot.
    assert.ok(names(await ok(remote('policies', 'list', '--json'), admin)).includes('dave-reads'))
    assertOneLineFailure(
      await run(remote('policies', 'detach', 'dave-reads', '--user', 'dave'), admin),
      { cause: /^redis-sessions: EntityNotExist/ }
    )
    const { events } = await (server ?? assert.fail('no server')).store.audit.query({
      userName: 'admin',
      pageNumber: 1,
      pageSize: 100,
    })
    assert.ok(events.some((e) => e.action === 'DetachPolicyFromUser' && e.result === 'Success'))
  })

  it('fails alike on both paths, and needs an AccessKey for --endpoint', async () => {
    const file = join(dir, 'bad.json')
    await writeFile(file, '{"Version": "1", "Statement": []}')
    const there = await run(remote('policies', 'create', 'bad', '--document', file), admin)
    const here = await run([
      'policies',
      'create',
      'bad',
      '--document',
      file,
      '--data-dir',
      join(dir, 'local'),
    ])
    assertOneLineFailure(there, { cause: /InvalidParams: .*\(Statement: / })
    assert.equal(there.stderr, here.stderr)
    assertOneLineFailure(await run(remote('users', 'list')), {
      cause: /ALIBABA_CLOUD_ACCESS_KEY_ID/,
    })
  })
})
