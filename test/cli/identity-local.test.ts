import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openLocalStore } from '../../src/cli/local-store.ts'
import { verifyPassword } from '../../src/store/password-hash.ts'
import { makeTempDir, removeTempDir } from '../support/processes.ts'
import { DOCUMENT, jsonArray, KEY_JSON, ok, run } from './identity-run.ts'
import { assertOneLineFailure, ensureCliBuilt } from './run-cli.ts'

void describe('redis-sessions users, keys and policies on the local store', () => {
  let dir = ''
  const local = (...args: string[]) => [...args, '--data-dir', dir]

  before(async () => {
    await ensureCliBuilt()
    dir = await makeTempDir('rs-cli-identity-')
  })
  after(async () => {
    if (dir !== '') await removeTempDir(dir)
  })

  it('creates users, with a password from stdin, and lists them', async () => {
    assert.equal(
      await ok(local('users', 'create', 'alice')),
      'created user alice (without console password)\n'
    )
    const out = await ok(
      local('users', 'create', 'bob', '--password-stdin'),
      {},
      'bob-password-1\n'
    )
    assert.equal(out, 'created user bob (with a console password)\n')
    const short = await run(local('users', 'create', 'carl', '--password-stdin'), {}, 'short\n')
    assertOneLineFailure(short, {
      cause: /InvalidParams: .*Password must be 8–128/,
      secrets: ['short'],
    })
    const users = jsonArray(await ok(local('users', 'list', '--json')))
    assert.deepEqual(
      users.map((u) => [u['UserName'], u['HasLoginProfile']]),
      [
        ['alice', false],
        ['bob', true],
      ]
    )
    // REDIS_SESSIONS_DATA_DIR stands for --data-dir.
    const table = await ok(['users', 'list'], { REDIS_SESSIONS_DATA_DIR: dir })
    assert.match(table, /^USER +CONSOLE +CREATED\nalice +no +\S+\nbob +yes +\S+\n$/)
    assertOneLineFailure(await run(local('users', 'create', 'alice')), {
      cause: /^redis-sessions: EntityAlreadyExists: .*alice/,
    })
  })

  it('prints a new key in the contract shape and never lists its secret', async () => {
    const out = await ok(local('keys', 'create', '--user', 'alice', '--json'))
    const [, id = '', secret = ''] = KEY_JSON.exec(out) ?? assert.fail(`not the §8 shape: ${out}`)
    const listed = await ok(local('keys', 'list'))
    assert.ok(listed.includes(id) && !listed.includes(secret))
    await ok(local('keys', 'disable', id))
    const keys = jsonArray(await ok(local('keys', 'list', '--user', 'alice', '--json')))
    assert.deepEqual(
      keys.map((k) => [k['AccessKeyId'], k['Status']]),
      [[id, 'Inactive']]
    )
    assertOneLineFailure(await run(local('keys', 'create', '--user', 'ghost')), {
      cause: /EntityNotExist: .*ghost/,
    })
    assert.equal((await run(local('keys', 'create'))).code, 2, '--user is required')
  })

  it('creates, attaches, lists and detaches policies; a bad document fails with its reason', async () => {
    const file = join(dir, 'policy.json')
    await writeFile(file, DOCUMENT)
    await ok(local('policies', 'create', 'list-users', '--document', file, '--description', 'read'))
    assert.equal(
      await ok(local('policies', 'attach', 'list-users', '--user', 'alice')),
      'attached list-users to alice\n'
    )
    const mine = jsonArray(await ok(local('policies', 'list', '--user', 'alice', '--json')))
    assert.deepEqual(
      mine.map((p) => [p['PolicyName'], p['Description']]),
      [['list-users', 'read']]
    )
    assert.match(
      await ok(local('policies', 'list')),
      /^POLICY +DESCRIPTION +CREATED\nlist-users +read +\S+\n$/
    )
    await ok(local('policies', 'detach', 'list-users', '--user', 'alice'))
    assert.deepEqual(
      jsonArray(await ok(local('policies', 'list', '--user', 'alice', '--json'))),
      []
    )
    await writeFile(file, JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow' }] }))
    const bad = await run(local('policies', 'create', 'bad', '--document', file))
    assertOneLineFailure(bad, { cause: /InvalidParams: .*\(Statement\[0\]/ })
    const missing = await run(
      local('policies', 'create', 'bad', '--document', join(dir, 'nope.json'))
    )
    assertOneLineFailure(missing, { cause: /cannot read --document .*ENOENT/ })
  })

  it('sets a console password from stdin, and deletes keys, policies and users', async () => {
    await ok(local('users', 'set-password', 'alice'), {}, 'alice-new-password\r\n')
    const [key] = jsonArray(await ok(local('keys', 'list', '--user', 'alice', '--json')))
    assert.equal(
      await ok(local('keys', 'delete', String(key?.['AccessKeyId']))),
      `deleted ${String(key?.['AccessKeyId'])}\n`
    )
    await ok(local('policies', 'delete', 'list-users'))
    await ok(local('users', 'delete', 'bob'))
    const opened = await openLocalStore({ dataDir: dir, env: {} })
    try {
      const hash =
        (await opened.store.users.get('alice'))?.passwordHash ?? assert.fail('no password')
      assert.equal(await verifyPassword('alice-new-password', hash), true)
      assert.deepEqual(await opened.store.accessKeys.list('alice'), [])
      assert.deepEqual(
        (await opened.store.policies.list()).map((p) => p.name),
        []
      )
      assert.deepEqual(
        (await opened.store.users.list()).map((u) => u.name),
        ['alice']
      )
    } finally {
      await opened.close()
    }
  })

  it('audits local changes as local:<OS user>, without secrets', async () => {
    const opened = await openLocalStore({ dataDir: dir, env: {} })
    try {
      const { events } = await opened.store.audit.query({ pageNumber: 1, pageSize: 100 })
      assert.ok(events.length >= 8)
      assert.ok(events.every((event) => event.userName.startsWith('local:')))
      const text = JSON.stringify(events)
      assert.ok(!text.includes('bob-password-1'))
      const actions = new Set(events.map((event) => `${event.action}:${event.result}`))
      for (const expected of [
        'CreateUser:Success',
        'CreateUser:EntityAlreadyExists',
        'UpdateAccessKey:Success',
        'AttachPolicyToUser:Success',
        'CreatePolicy:InvalidParams',
      ]) {
        assert.ok(actions.has(expected), `${expected} in ${[...actions].join(', ')}`)
      }
    } finally {
      await opened.close()
    }
  })
})
