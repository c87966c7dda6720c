import { sql, type Kysely } from 'kysely'
import type { StoreDialect } from './dialect.ts'

/**
 * Identity, registry, audit, aliases and history. Portable DDL only: TEXT, INTEGER, BIGINT,
 * composite primary keys, ON DELETE CASCADE, CHECK. Two dialect branches: the audit sequence
 * column (SQLite rowid alias vs PostgreSQL bigserial) and the collation of sort keys.
 */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const s = db.schema
  // Names and keys we sort by compare bytewise on both dialects: SQLite's default BINARY, and on
  // PostgreSQL "C" rather than the database locale (which would, e.g., ignore hyphens).
  const key = dialect === 'postgres' ? sql`text collate "C"` : 'text'
  await s
    .createTable('users')
    .addColumn('name', key, (c) => c.primaryKey())
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await s
    .createTable('access_keys')
    .addColumn('access_key_id', key, (c) => c.primaryKey())
    .addColumn('user_name', key, (c) => c.notNull().references('users.name').onDelete('cascade'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('Active', 'Inactive')`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await s.createIndex('access_keys_user').on('access_keys').column('user_name').execute()

  await s
    .createTable('policies')
    .addColumn('name', key, (c) => c.primaryKey())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await s
    .createTable('policy_attachments')
    .addColumn('user_name', key, (c) => c.notNull().references('users.name').onDelete('cascade'))
    .addColumn('policy_name', key, (c) =>
      c.notNull().references('policies.name').onDelete('cascade')
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_attachments_pk', ['user_name', 'policy_name'])
    .execute()
  await s
    .createIndex('policy_attachments_policy')
    .on('policy_attachments')
    .column('policy_name')
    .execute()

  await s
    .createTable('instances')
    .addColumn('instance_id', key, (c) => c.primaryKey())
    .addColumn('topology', 'text', (c) => c.notNull())
    .addColumn('endpoints', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('password_sealed', 'text')
    .addColumn('tls_enabled', 'integer', (c) => c.notNull())
    .addColumn('tls_ca', 'text')
    .addColumn('tls_servername', 'text')
    .addColumn('tls_skip_verify', 'integer', (c) => c.notNull())
    .addColumn('sentinel_master_name', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await s
    .createTable('temp_credentials')
    .addColumn('access_key_id', key, (c) => c.primaryKey())
    .addColumn('user_name', key, (c) => c.notNull().references('users.name').onDelete('cascade'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('security_token_sha256', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await s
    .createIndex('temp_credentials_expires')
    .on('temp_credentials')
    .column('expires_at')
    .execute()
  await s.createIndex('temp_credentials_user').on('temp_credentials').column('user_name').execute()

  await s
    .createTable('audit_events')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      // SQLite: INTEGER PRIMARY KEY AUTOINCREMENT never reuses ids, like a PostgreSQL sequence.
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
    )
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('user_name', key, (c) => c.notNull())
    .addColumn('access_key_id', key, (c) => c.notNull())
    .addColumn('source_ip', 'text', (c) => c.notNull())
    .addColumn('action', key, (c) => c.notNull())
    .addColumn('instance_id', key)
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute()
  // Every audit query is "newest first within a time range", optionally narrowed by one field.
  await s.createIndex('audit_events_time').on('audit_events').columns(['time', 'id']).execute()
  for (const column of ['user_name', 'action', 'instance_id']) {
    await s
      .createIndex(`audit_events_${column}_time`)
      .on('audit_events')
      .columns([column, 'time'])
      .execute()
  }

  await s
    .createTable('client_aliases')
    .addColumn('instance_id', key, (c) => c.notNull())
    .addColumn('cidr', key, (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_aliases_pk', ['instance_id', 'cidr'])
    .execute()

  await s
    .createTable('history_points')
    .addColumn('instance_id', key, (c) => c.notNull())
    .addColumn('group_by', key, (c) => c.notNull())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('key', key, (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('history_points_pk', ['instance_id', 'group_by', 'time', 'key'])
    .addCheckConstraint(
      'history_points_counts',
      sql`count >= 0 and active >= 0 and active <= count`
    )
    .execute()
  await s.createIndex('history_points_time').on('history_points').column('time').execute()
}
