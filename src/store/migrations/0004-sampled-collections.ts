import { sql, type Kysely } from 'kysely'
import type { StoreDialect } from './dialect.ts'

/**
 * The outcome of the history sampler's latest collection of each instance (`LastCollection`
 * of DescribeRedisInstances when this process has collected nothing newer): one row per
 * instance, replaced every tick, shared by every replica on the store. A failed collection
 * is a row too (`error_code`, `error_message`), unlike history points. No foreign key: the
 * sampler may finish an instance that was just deleted, and a refused write would cost the
 * whole batch; `instances.delete` removes the row instead (like history points).
 */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const key = dialect === 'postgres' ? sql`text collate "C"` : 'text'
  await db.schema
    .createTable('sampled_collections')
    .addColumn('instance_id', key, (c) => c.primaryKey())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('nodes', 'integer', (c) => c.notNull())
    .addColumn('failed_nodes', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addCheckConstraint(
      'sampled_collections_counts',
      sql`total >= 0 and active >= 0 and active <= total and failed_nodes >= 0 and failed_nodes <= nodes`
    )
    .execute()
}
