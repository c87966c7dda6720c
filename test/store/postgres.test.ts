import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { openStore } from '../../src/store/open-store.ts'
import type { Store } from '../../src/store/store.ts'
import { runStoreContract } from './contract.ts'
import {
  clusterUnavailableReason,
  type PostgresCluster,
  startPostgresCluster,
} from './postgres-cluster.ts'
import { skipOutsideCi } from '../support/skip-outside-ci.ts'

/**
 * The store contract on PostgreSQL: against TEST_PG_URL when set (a server we may create
 * databases on), else a throwaway cluster of the Debian postgresql-15 package.
 */
const givenUrl = process.env.TEST_PG_URL
const skipReason = givenUrl === undefined ? clusterUnavailableReason() : undefined

let cluster: PostgresCluster | undefined
let admin: pg.Client | undefined
let counter = 0
const databases: string[] = []
const opened = new Map<Store, { url: string; masterKey: Buffer }>()
const prefix = `rs_store_${process.pid}_`
/**
 * Our own cluster is PostgreSQL 15 with ICU: give its databases a natural-language default
 * collation, so the contract proves sort order does not depend on the database locale.
 */
const ICU_EN_US = " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"

function urlFor(database: string): string {
  if (cluster !== undefined) return cluster.url(database)
  const url = new URL(givenUrl ?? '')
  url.pathname = `/${database}`
  return url.toString()
}

async function openAt(url: string, masterKey: Buffer): Promise<Store> {
  const store = await openStore({ databaseUrl: url, dataDir: '/nonexistent', masterKey })
  opened.set(store, { url, masterKey })
  return store
}

function where(store: Store): { url: string; masterKey: Buffer } {
  const found = opened.get(store)
  assert.ok(found, 'store was not opened by this suite')
  return found
}

if (skipReason !== undefined && skipOutsideCi(skipReason) !== false) {
  void describe('store contract (postgres)', () => {
    void it(
      'runs against PostgreSQL',
      { skip: `PostgreSQL not available: ${skipReason}` },
      () => {}
    )
  })
} else {
  before(async () => {
    if (givenUrl === undefined) cluster = await startPostgresCluster()
    admin = new pg.Client({ connectionString: urlFor('postgres') })
    await admin.connect()
  })
  after(async () => {
    if (admin !== undefined && cluster === undefined) {
      for (const db of databases) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
    }
    await admin?.end()
    await cluster?.stop()
  })

  runStoreContract(
    'postgres',
    async () => {
      assert.ok(admin, 'admin connection')
      const database = `${prefix}${counter++}`
      await admin.query(`CREATE DATABASE ${database}${cluster ? ICU_EN_US : ''}`)
      databases.push(database)
      return openAt(urlFor(database), randomBytes(32))
    },
    {
      async rawBytes(store) {
        // Every row of every table as PostgreSQL's text form of the row.
        const client = new pg.Client({ connectionString: where(store).url })
        await client.connect()
        try {
          const tables = await client.query<{ name: string }>(
            "select table_name as name from information_schema.tables where table_schema = 'public'"
          )
          const parts: string[] = []
          for (const { name } of tables.rows) {
            const rows = await client.query<{ row: string }>(
              `select t::text as row from ${client.escapeIdentifier(name)} t`
            )
            parts.push(...rows.rows.map((r) => r.row))
          }
          return Buffer.from(parts.join('\n'))
        } finally {
          await client.end()
        }
      },
      reopen(store, masterKey) {
        const { url, masterKey: same } = where(store)
        return openAt(url, masterKey ?? same)
      },
    }
  )

  void describe('openStore (postgres)', () => {
    void it('accepts postgresql:// as well and returns BIGINT values as numbers', async () => {
      assert.ok(admin)
      const database = `${prefix}scheme`
      await admin.query(`CREATE DATABASE ${database}`)
      databases.push(database)
      const url = urlFor(database).replace(/^postgres:/, 'postgresql:')
      const store = await openStore({
        databaseUrl: url,
        dataDir: '/nonexistent',
        masterKey: randomBytes(32),
      })
      try {
        const user = await store.users.create('u')
        assert.equal(typeof user.createdAt, 'number')
        const page = await store.instances.list({ page: 1, pageSize: 1 })
        assert.equal(page.total, 0)
        assert.equal(typeof page.total, 'number')
      } finally {
        await store.close()
      }
    })

    void it('survives PostgreSQL closing its idle connections (restart, failover)', async () => {
      assert.ok(admin)
      const database = `${prefix}terminated`
      await admin.query(`CREATE DATABASE ${database}`)
      databases.push(database)
      const store = await openAt(urlFor(database), randomBytes(32))
      try {
        await store.users.create('before')
        // What a restart does to the pool's idle clients; unhandled, their 'error' ends the process.
        const killed = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1',
          [database]
        )
        assert.ok(
          killed.rowCount !== null && killed.rowCount > 0,
          'an idle pooled connection existed'
        )
        await new Promise((resolve) => setTimeout(resolve, 100))
        await store.users.create('after')
        assert.deepEqual(
          (await store.users.list()).map((user) => user.name),
          ['after', 'before']
        )
      } finally {
        await store.close()
      }
    })
  })
}
