import { createTestDatabase, type TestDatabase } from './postgres-database.ts'
import { newMasterKey, startReplica, type Replica } from './replica-process.ts'

/** Replicas of one deployment on one fresh PostgreSQL database. */
export interface ReplicaStack {
  db: TestDatabase
  replicas: Replica[]
  /** Starts one more replica of the same deployment. */
  add(name: string): Promise<Replica>
  /** Stops every replica, then the database. */
  stop(): Promise<void>
}

/**
 * A database and `names.length` replicas started at once (as an orchestrator does, so the
 * first-start race on an empty database is part of every run), all with the same
 * `DATABASE_URL` and `REDIS_SESSIONS_MASTER_KEY`.
 */
export async function startReplicaStack(
  names: readonly string[],
  env: Readonly<Record<string, string>> = {}
): Promise<ReplicaStack> {
  const db = await createTestDatabase()
  const replicas: Replica[] = []
  const deployment = { databaseUrl: db.url, masterKey: newMasterKey(), env }
  const stop = async (): Promise<void> => {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await db.stop()
  }
  const add = async (name: string): Promise<Replica> => {
    const replica = await startReplica(name, deployment)
    replicas.push(replica)
    return replica
  }
  const started = await Promise.allSettled(names.map((name) => startReplica(name, deployment)))
  for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value)
  const failure = started.find((result) => result.status === 'rejected')
  if (failure !== undefined) {
    await stop()
    throw failure.reason
  }
  return { db, replicas, add, stop }
}
