import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import {
  ADMIN_POLICY,
  ADMIN_USER,
  BOOTSTRAP_ACTION,
  bootstrapAdmin,
} from '../../src/server/bootstrap-admin.ts'
import { openStore, SQLITE_FILE } from '../../src/store/open-store.ts'
import { verifyPassword } from '../../src/store/password-hash.ts'
import type { AuditEvent, Store } from '../../src/store/store.ts'

const NONE = { accessKeyId: undefined, accessKeySecret: undefined, password: undefined }
const ENV_KEY = { accessKeyId: 'LTAIbootstrapEnvKey01', accessKeySecret: 'bootstrap-env-secret-1' }

async function bootstrapEvents(store: Store): Promise<AuditEvent[]> {
  const { events } = await store.audit.query({
    action: BOOTSTRAP_ACTION,
    pageNumber: 1,
    pageSize: 100,
  })
  return events
}

// The first start's writes are one transaction: a crash between them (here: the database
// refusing the AccessKey row, as a process killed at that point would leave it) leaves no admin
// whose password was never shown; the next start creates everything and shows the secrets.
void describe('bootstrapAdmin: all or nothing, audited as local:<OS user>', () => {
  let dir = ''
  let store: Store | undefined
  const s = (): Store => store ?? assert.fail('no store')
  const me = `local:${userInfo().username}`

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rs-bootstrap-'))
    store = await openStore({ dataDir: dir, masterKey: randomBytes(32) })
  })
  after(async () => {
    await store?.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** Runs `sql` on the store's SQLite file from another connection (as an operator would). */
  const onFile = (sql: string) => {
    const db = new BetterSqlite3(join(dir, SQLITE_FILE))
    try {
      db.exec(sql)
    } finally {
      db.close()
    }
  }

  void it('a failure at the last write leaves no admin, no policy, no attachment', async () => {
    onFile(`CREATE TRIGGER crash BEFORE INSERT ON access_keys
            BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`)
    await assert.rejects(bootstrapAdmin(s(), NONE))
    assert.equal(await s().users.get(ADMIN_USER), undefined, 'no admin without key')
    assert.equal(await s().policies.get(ADMIN_POLICY), undefined)
    assert.deepEqual(await bootstrapEvents(s()), [])
  })

  void it('the next start creates everything and shows the generated secrets', async () => {
    onFile('DROP TRIGGER crash')
    const generated = await bootstrapAdmin(s(), NONE)
    const password = generated.password ?? assert.fail('a generated password')
    const key = generated.accessKey ?? assert.fail('a generated AccessKey')
    const admin = await s().users.get(ADMIN_USER)
    assert.ok(await verifyPassword(password, admin?.passwordHash ?? ''))
    assert.equal((await s().accessKeys.getForVerification(key.accessKeyId))?.userName, ADMIN_USER)
    assert.deepEqual(
      (await s().policies.listForUser(ADMIN_USER)).map((p) => p.name),
      [ADMIN_POLICY]
    )
    const [event, ...more] = await bootstrapEvents(s())
    assert.equal(more.length, 0)
    assert.equal(event?.userName, me)
    assert.equal(event?.sourceIp, 'local')
    assert.equal(event?.accessKeyId, '')
    assert.equal(event?.result, 'Success')
    assert.deepEqual(event?.detail, {
      user: ADMIN_USER,
      created: true,
      policy: ADMIN_POLICY,
      accessKeyId: key.accessKeyId,
      accessKeyFrom: 'generated',
      passwordFrom: 'generated',
    })
    const text = JSON.stringify(event)
    assert.ok(!text.includes(password) && !text.includes(key.accessKeySecret), 'no secret')
  })

  void it('a later start audits what the environment changes, and nothing when nothing does', async () => {
    const env = { ...ENV_KEY, password: 'bootstrap-env-password-1' }
    assert.deepEqual(await bootstrapAdmin(s(), env), {})
    const [changed] = await bootstrapEvents(s())
    assert.deepEqual(changed?.detail, {
      user: ADMIN_USER,
      created: false,
      passwordFrom: 'environment',
      accessKeyId: ENV_KEY.accessKeyId,
      accessKeyFrom: 'environment',
    })
    assert.ok(!JSON.stringify(changed).includes(env.password))
    await bootstrapAdmin(s(), env)
    assert.equal((await bootstrapEvents(s())).length, 2, 'the same environment changes nothing')
  })

  void it('an environment AccessKeyId owned by another user: refused at first start, nothing written', async () => {
    const other = await openStore({ dataDir: join(dir, 'other'), masterKey: randomBytes(32) })
    try {
      await other.users.create('someone')
      await other.accessKeys.create('someone', ENV_KEY)
      await assert.rejects(
        bootstrapAdmin(other, { ...ENV_KEY, password: undefined }),
        /already exists/
      )
      assert.equal(await other.users.get(ADMIN_USER), undefined)
      assert.deepEqual(await bootstrapEvents(other), [])
    } finally {
      await other.close()
    }
  })
})
