import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import { openLocalStore } from '../../src/cli/local-store.ts'
import { bootstrapAdmin, BOOTSTRAP_ACTION } from '../../src/server/bootstrap-admin.ts'
import { SQLITE_FILE } from '../../src/store/open-store.ts'
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
      // A failure says why, as the API writes it ({code, reason}, docs/api.md#audit).
      const conflict = events.find((event) => event.result === 'EntityAlreadyExists')
      const conflictReason = conflict?.detail['reason']
      assert.ok(typeof conflictReason === 'string' && conflictReason.includes('alice'))
      assert.deepEqual(conflict?.detail, { code: 'EntityAlreadyExists', reason: conflictReason })
      const missing = events.find((event) => event.result === 'EntityNotExist')
      const missingReason = missing?.detail['reason']
      assert.ok(typeof missingReason === 'string' && missingReason.includes('ghost'))
      assert.deepEqual(missing?.detail, { code: 'EntityNotExist', reason: missingReason })
      // The server's own start audits as the same local caller as the CLI.
      await bootstrapAdmin(opened.store, {
        accessKeyId: undefined,
        accessKeySecret: undefined,
        password: undefined,
      })
      const all = (await opened.store.audit.query({ pageNumber: 1, pageSize: 100 })).events
      const bootstrap = all.find((event) => event.action === BOOTSTRAP_ACTION)
      assert.equal(bootstrap?.userName, events[0]?.userName)
    } finally {
      await opened.close()
    }
  })

  it('audit fits its table to COLUMNS, as --help says', async () => {
    // A pipe without COLUMNS gets every column.
    const wide = await ok(local('audit'))
    assert.match(wide, /^TIME +USER +ACTION +INSTANCE +RESULT +SOURCE +ACCESS KEY +DETAIL\n/)
    const narrow = await ok(local('audit'), { COLUMNS: '70' })
    assert.match(narrow, /^TIME +USER +ACTION/)
    assert.doesNotMatch(narrow, /DETAIL/)
    for (const line of narrow.trimEnd().split('\n')) assert.ok(line.length <= 70, line)
  })
})

// The server keeps the outcome of an action whose audit line could not be written (it logs the
// loss); the local runner does the same, with one warning line on stderr.
void describe('redis-sessions users on a local store whose audit log refuses writes', () => {
  let dir = ''
  const local = (...args: string[]) => [...args, '--data-dir', dir]
  const WARNING =
    /^redis-sessions: warning: (\w+) (succeeded|failed \(\S+\)), but its audit event could not be written: .*audit_events is read-only here/

  before(async () => {
    await ensureCliBuilt()
    dir = await makeTempDir('rs-cli-audit-fails-')
    await ok(local('users', 'create', 'first'))
    // A real write failure: SQLite refuses every new audit row.
    const db = new BetterSqlite3(join(dir, SQLITE_FILE))
    try {
      db.exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is read-only here'); END`)
    } finally {
      db.close()
    }
  })
  after(async () => {
    if (dir !== '') await removeTempDir(dir)
  })

  it('a change that was made is reported made, with one warning line', async () => {
    const made = await run(
      local('users', 'create', 'carol', '--password-stdin'),
      {},
      'carol-pw-1\n'
    )
    assert.equal(made.code, 0, made.stderr)
    assert.equal(made.stdout, 'created user carol (with a console password)\n')
    const lines = made.stderr.split('\n')
    assert.equal(lines.length, 2, made.stderr)
    assert.deepEqual(WARNING.exec(lines[0] ?? '')?.slice(1, 3), ['CreateUser', 'succeeded'])
    assert.ok(!made.stderr.includes('carol-pw-1'))
    const users = jsonArray(await ok(local('users', 'list', '--json')))
    assert.deepEqual(
      users.map((u) => u['UserName']),
      ['carol', 'first']
    )
  })

  it('a failed change keeps its own error, after the warning', async () => {
    const failed = await run(local('users', 'delete', 'ghost'))
    assert.equal(failed.code, 2)
    assert.equal(failed.stdout, '')
    const lines = failed.stderr.split('\n')
    assert.equal(lines.length, 3, failed.stderr)
    assert.deepEqual(WARNING.exec(lines[0] ?? '')?.slice(1, 3), [
      'DeleteUser',
      'failed (EntityNotExist)',
    ])
    assert.match(lines[1] ?? '', /^redis-sessions: EntityNotExist: .*ghost/)
  })
})
