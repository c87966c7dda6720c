import type { ExpressionBuilder, Insertable, Selectable } from 'kysely'
import { StoreCorruptError, StoreInvalidInputError } from '../errors.ts'
import { toNumber, type AuditEventsTable, type Database } from '../schema.ts'
import type { AuditEvent, AuditQuery, AuditRepository, JsonValue } from '../store.ts'
import type { RepositoryContext } from './context.ts'
import { checkInteger, pageOffset } from './validate.ts'

type Detail = AuditEvent['detail']

/** JSON.parse only ever yields JSON values, so checking the top level is enough here. */
function isDetail(value: unknown): value is Detail {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function present(row: Selectable<AuditEventsTable>): AuditEvent {
  const detail: unknown = JSON.parse(row.detail)
  if (!isDetail(detail))
    throw new StoreCorruptError('an audit detail in the store is not an object')
  const event: AuditEvent = {
    time: toNumber(row.time),
    requestId: row.request_id,
    userName: row.user_name,
    accessKeyId: row.access_key_id,
    sourceIp: row.source_ip,
    action: row.action,
    result: row.result,
    detail,
  }
  if (row.instance_id !== null) event.instanceId = row.instance_id
  return event
}

function filters(eb: ExpressionBuilder<Database, 'audit_events'>, q: AuditQuery) {
  const conditions = []
  if (q.from !== undefined) conditions.push(eb('time', '>=', q.from))
  if (q.to !== undefined) conditions.push(eb('time', '<=', q.to))
  if (q.userName !== undefined) conditions.push(eb('user_name', '=', q.userName))
  if (q.action !== undefined) conditions.push(eb('action', '=', q.action))
  if (q.instanceId !== undefined) conditions.push(eb('instance_id', '=', q.instanceId))
  return eb.and(conditions)
}

/**
 * The row of `event`, checked (integer time, object detail): what `append` and the bootstrap's
 * transaction insert.
 */
export function auditRow(event: AuditEvent): Insertable<AuditEventsTable> {
  checkInteger('audit time', event.time)
  // JSON.stringify of a JsonValue cannot fail; the check guards callers that cast.
  const detail: JsonValue = event.detail
  if (!isDetail(detail)) throw new StoreInvalidInputError('audit detail must be an object')
  return {
    time: event.time,
    request_id: event.requestId,
    user_name: event.userName,
    access_key_id: event.accessKeyId,
    source_ip: event.sourceIp,
    action: event.action,
    instance_id: event.instanceId ?? null,
    result: event.result,
    detail: JSON.stringify(detail),
  }
}

/** The audit log: append-only, queried newest first (see {@link AuditRepository}). */
export function createAuditRepository({ db }: RepositoryContext): AuditRepository {
  return {
    async append(event) {
      await db.insertInto('audit_events').values(auditRow(event)).execute()
    },

    async query(q) {
      const offset = pageOffset(q.pageNumber, q.pageSize)
      if (q.from !== undefined) checkInteger('audit from', q.from)
      if (q.to !== undefined) checkInteger('audit to', q.to)
      const [count, rows] = await Promise.all([
        db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .where((eb) => filters(eb, q))
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('audit_events')
          .selectAll()
          .where((eb) => filters(eb, q))
          .orderBy('time', 'desc')
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset(offset)
          .execute(),
      ])
      return { total: toNumber(count.n), events: rows.map(present) }
    },
  }
}
