import type { Kysely } from 'kysely'

/**
 * `instances.address_map`: announced address → reachable address, for NAT'd and container
 * deployments (`AddressMap` of Add/ModifyRedisInstance). JSON text, an array of
 * `[from, to]` pairs in the order given; NULL = no map. A nullable column added with ALTER
 * TABLE is the same statement on both dialects and leaves existing rows as they were.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('instances').addColumn('address_map', 'text').execute()
}
