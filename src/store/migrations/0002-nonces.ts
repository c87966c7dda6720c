import { sql, type Kysely } from 'kysely'
import type { StoreDialect } from './dialect.ts'

/**
 * Signature nonces shared by several server replicas on one PostgreSQL database
 * (`postgres/nonce-store.ts`, protocol.md §10): a nonce claimed on one replica is refused on
 * every other. The primary key is what makes a claim atomic (`INSERT … ON CONFLICT`); the
 * `expires_at` index serves the periodic purge. The nonce is stored as bytes (its UTF-8), since
 * a V1 `SignatureNonce` may hold characters PostgreSQL text cannot (NUL). Created on SQLite
 * too, so both dialects keep one schema, but unused there: a SQLite store serves one process,
 * whose in-memory nonce store is enough (`api/signature/nonce-store.ts`).
 */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const key = dialect === 'postgres' ? sql`text collate "C"` : 'text'
  await db.schema
    .createTable('nonces')
    .addColumn('access_key_id', key, (c) => c.notNull())
    .addColumn('nonce', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('nonces_pk', ['access_key_id', 'nonce'])
    .execute()
  await db.schema.createIndex('nonces_expires').on('nonces').column('expires_at').execute()
}
