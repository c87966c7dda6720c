import { sql } from 'kysely'
import { StoreInvalidInputError } from '../errors.ts'
import { toNumber } from '../schema.ts'
import type { HistoryGroupBy, HistoryPoint, HistoryRepository } from '../store.ts'
import type { RepositoryContext } from './context.ts'
import { translateDbErrors } from './db-errors.ts'
import { checkInteger, checkLength } from './validate.ts'

const GROUP_BYS: readonly HistoryGroupBy[] = ['total', 'source', 'node', 'name', 'user']
/** 6 parameters per row: 500 rows stay far below SQLite's and PostgreSQL's bind limits. */
const CHUNK = 500

function isGroupBy(value: string): value is HistoryGroupBy {
  return GROUP_BYS.some((g) => g === value)
}

/**
 * Shapes are checked here; value ranges (count ≥ 0, 0 ≤ active ≤ count) are a CHECK in the
 * schema, so every writer — this one, a later bulk import, a hand edit — is held to them.
 */
function checkPoint(p: HistoryPoint): void {
  checkLength('history instanceId', p.instanceId, 64, 1)
  if (!isGroupBy(p.groupBy)) throw new StoreInvalidInputError('unknown history groupBy')
  checkLength('history key', p.key, 512)
  checkInteger('history time', p.time)
  checkInteger('history count', p.count, Number.MIN_SAFE_INTEGER)
  checkInteger('history active', p.active, Number.MIN_SAFE_INTEGER)
}

/** Sampled session counts over time (see {@link HistoryRepository}). */
export function createHistoryRepository({ db }: RepositoryContext): HistoryRepository {
  return {
    async insertPoints(points) {
      const seen = new Set<string>()
      for (const p of points) {
        checkPoint(p)
        // One statement may not touch a row twice on PostgreSQL (ON CONFLICT), so refuse here.
        const id = JSON.stringify([p.instanceId, p.groupBy, p.time, p.key])
        if (seen.has(id)) throw new StoreInvalidInputError('the same history point is given twice')
        seen.add(id)
      }
      if (points.length === 0) return
      await translateDbErrors('history point', () =>
        db.transaction().execute(async (trx) => {
          for (let i = 0; i < points.length; i += CHUNK) {
            const rows = points.slice(i, i + CHUNK).map((p) => ({
              instance_id: p.instanceId,
              time: p.time,
              group_by: p.groupBy,
              key: p.key,
              count: p.count,
              active: p.active,
            }))
            await trx
              .insertInto('history_points')
              .values(rows)
              .onConflict((oc) =>
                oc.columns(['instance_id', 'group_by', 'time', 'key']).doUpdateSet((eb) => ({
                  count: eb.ref('excluded.count'),
                  active: eb.ref('excluded.active'),
                }))
              )
              .execute()
          }
        })
      )
    },

    async query({ instanceId, from, to, groupBy, key }) {
      checkInteger('history from', from, Number.MIN_SAFE_INTEGER)
      checkInteger('history to', to, Number.MIN_SAFE_INTEGER)
      let query = db
        .selectFrom('history_points')
        .selectAll()
        .where('instance_id', '=', instanceId)
        .where('group_by', '=', groupBy)
        .where('time', '>=', from)
        .where('time', '<=', to)
        .orderBy('time')
        .orderBy('key')
      if (key !== undefined) query = query.where('key', '=', key)
      const rows = await query.execute()
      return rows.map((row) => ({
        instanceId: row.instance_id,
        time: toNumber(row.time),
        groupBy, // the filter above: every row has it
        key: row.key,
        count: row.count,
        active: row.active,
      }))
    },

    async deleteOlderThan(time) {
      const result = await db
        .deleteFrom('history_points')
        .where('time', '<', time)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    async thin({ before, bucketMs }) {
      checkInteger('history thin before', before, Number.MIN_SAFE_INTEGER)
      checkInteger('history thin bucketMs', bucketMs, 1)
      // Bound as a BIGINT on both dialects: better-sqlite3 binds JS numbers as REAL, and
      // `time / 600000.0` would not be the integer division that makes the buckets.
      const bucket = sql<number>`cast(${bucketMs} as bigint)`
      const bucketEnd = sql<number>`(${sql.ref('h.time')} / ${bucket} + 1) * ${bucket}`
      // A row goes when a later sample of its instance falls in the same bucket, before
      // `before`. A range on `time` (indexed) rather than equal quotients, so each probe is
      // an index range scan that stops at its first hit.
      const result = await db
        .deleteFrom('history_points as h')
        .where('h.time', '<', before)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('history_points as o')
              .select(sql<number>`1`.as('one'))
              .whereRef('o.instance_id', '=', 'h.instance_id')
              .whereRef('o.time', '>', 'h.time')
              .where('o.time', '<', before)
              .where('o.time', '<', bucketEnd)
          )
        )
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}
