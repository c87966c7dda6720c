import type { ColumnType, Generated } from 'kysely'

/**
 * The kysely schema shared by SQLite and PostgreSQL (created by `migrations/`).
 * Conventions that keep one query set portable:
 * - times are integer ms since the epoch in BIGINT columns; node-postgres returns BIGINT as a
 *   string unless told otherwise, so reads are typed as `Int8` and normalised with `toNumber`;
 * - booleans are INTEGER 0/1; JSON is TEXT; the global alias scope is `''`, not NULL, because
 *   NULLs never collide in a UNIQUE key on either dialect.
 */

/** A BIGINT column: written as a number, read as whatever the driver hands back. */
export type Int8 = ColumnType<number | string | bigint, number, number>

/** All tables. */
export interface Database {
  users: UsersTable
  access_keys: AccessKeysTable
  policies: PoliciesTable
  policy_attachments: PolicyAttachmentsTable
  instances: InstancesTable
  temp_credentials: TempCredentialsTable
  audit_events: AuditEventsTable
  client_aliases: ClientAliasesTable
  history_points: HistoryPointsTable
  sampled_collections: SampledCollectionsTable
}

export interface UsersTable {
  name: string
  password_hash: string | null
  created_at: Int8
}

export interface AccessKeysTable {
  access_key_id: string
  user_name: string
  /** AES-256-GCM, `secret-box.ts` format. */
  secret_sealed: string
  status: string
  created_at: Int8
}

export interface PoliciesTable {
  name: string
  document: string
  description: string
  created_at: Int8
}

export interface PolicyAttachmentsTable {
  policy_name: string
  user_name: string
  created_at: Int8
}

export interface InstancesTable {
  instance_id: string
  topology: string
  /** JSON array of `host:port` strings. */
  endpoints: string
  username: string | null
  password_sealed: string | null
  tls_enabled: number
  tls_ca: string | null
  tls_servername: string | null
  tls_skip_verify: number
  sentinel_master_name: string | null
  description: string
  created_at: Int8
  updated_at: Int8
  /** JSON array of `[from, to]` address pairs (migration 0003); NULL = no map. */
  address_map: string | null
}

export interface TempCredentialsTable {
  access_key_id: string
  user_name: string
  secret_sealed: string
  security_token_sha256: string
  expires_at: Int8
  revoked: number
  created_at: Int8
}

export interface AuditEventsTable {
  /** Insertion order; breaks ties between events of the same millisecond. */
  id: Generated<number | string | bigint>
  time: Int8
  request_id: string
  user_name: string
  access_key_id: string
  source_ip: string
  action: string
  instance_id: string | null
  result: string
  /** JSON object. */
  detail: string
}

export interface ClientAliasesTable {
  cidr: string
  /** `''` = global scope. */
  instance_id: string
  description: string
  updated_at: Int8
}

export interface HistoryPointsTable {
  instance_id: string
  time: Int8
  group_by: string
  key: string
  count: number
  active: number
}

export interface SampledCollectionsTable {
  instance_id: string
  time: Int8
  total: number
  active: number
  nodes: number
  failed_nodes: number
  /** Both set when the collection failed as a whole, both NULL otherwise. */
  error_code: string | null
  error_message: string | null
}

/** Normalises a BIGINT/COUNT value from either driver to a JS number (all ours are < 2^53). */
export function toNumber(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value)
}
