import { randomBytes } from 'node:crypto'
import pg from 'pg'
import {
  clusterUnavailableReason,
  startPostgresCluster,
  type PostgresCluster,
} from '../../store/postgres-cluster.ts'

/** Why these tests cannot get a PostgreSQL here, or undefined when they can. */
export function postgresUnavailableReason(): string | undefined {
  return process.env['TEST_PG_URL'] === undefined ? clusterUnavailableReason() : undefined
}

/** One fresh database: on `TEST_PG_URL`'s server, else in a throwaway cluster (dependencies.md §5). */
export interface TestDatabase {
  /** `DATABASE_URL` of the database. */
  url: string
  /** One query on a connection of its own (closed again). */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>
  /** Drops the database (given server) or stops the cluster. */
  stop(): Promise<void>
}

/** Creates a database named after this process; the caller stops it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const given = process.env['TEST_PG_URL']
  const cluster: PostgresCluster | undefined =
    given === undefined ? await startPostgresCluster() : undefined
  const urlOf = (database: string): string => {
    if (cluster !== undefined) return cluster.url(database)
    const url = new URL(given ?? '')
    url.pathname = `/${database}`
    return url.toString()
  }
  const name = `rs_replicas_${process.pid}_${randomBytes(3).toString('hex')}`
  const onAdmin = async (text: string): Promise<void> => {
    const admin = new pg.Client({ connectionString: urlOf('postgres') })
    await admin.connect()
    try {
      await admin.query(text)
    } finally {
      await admin.end()
    }
  }
  try {
    await onAdmin(`CREATE DATABASE ${name}`)
  } catch (error) {
    await cluster?.stop()
    throw error
  }
  const url = urlOf(name)
  return {
    url,
    async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        return (await client.query<R>(text, values)).rows
      } finally {
        await client.end()
      }
    },
    async stop() {
      if (cluster !== undefined) return cluster.stop()
      await onAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}
