import type { Selectable } from 'kysely'
import { StoreInvalidInputError } from '../errors.ts'
import { toNumber, type SampledCollectionsTable } from '../schema.ts'
import type { CollectionStatus, SampledCollectionRepository } from '../store.ts'
import type { RepositoryContext } from './context.ts'
import { translateDbErrors } from './db-errors.ts'
import { checkInteger, checkLength } from './validate.ts'

/** Rows per insert: 8 parameters each, 4,000 in all, far below SQLite's and PostgreSQL's bind limits. */
const CHUNK = 500

function checkStatus(instanceId: string, status: CollectionStatus): void {
  checkLength('sampled collection instanceId', instanceId, 64, 1)
  checkInteger('sampled collection time', status.time)
  for (const [what, value] of [
    ['total', status.total],
    ['active', status.active],
    ['nodes', status.nodes],
    ['failedNodes', status.failedNodes],
  ] as const) {
    checkInteger(`sampled collection ${what}`, value)
  }
  if (status.error !== undefined) {
    checkLength('sampled collection error code', status.error.code, 128, 1)
    checkLength('sampled collection error message', status.error.message, 4096)
  }
}

function fromRow(row: Selectable<SampledCollectionsTable>): CollectionStatus {
  const status: CollectionStatus = {
    time: toNumber(row.time),
    total: row.total,
    active: row.active,
    nodes: row.nodes,
    failedNodes: row.failed_nodes,
  }
  if (row.error_code !== null) {
    status.error = { code: row.error_code, message: row.error_message ?? '' }
  }
  return status
}

/** The sampler's latest collection per instance (see {@link SampledCollectionRepository}). */
export function createSampledCollectionRepository({
  db,
}: RepositoryContext): SampledCollectionRepository {
  return {
    async record(statuses) {
      const seen = new Set<string>()
      for (const { instanceId, status } of statuses) {
        checkStatus(instanceId, status)
        // One statement may not touch a row twice on PostgreSQL (ON CONFLICT), so refuse here.
        if (seen.has(instanceId)) {
          throw new StoreInvalidInputError('the same instance is given twice')
        }
        seen.add(instanceId)
      }
      if (statuses.length === 0) return
      await translateDbErrors('sampled collection', () =>
        db.transaction().execute(async (trx) => {
          for (let i = 0; i < statuses.length; i += CHUNK) {
            const rows = statuses.slice(i, i + CHUNK).map(({ instanceId, status }) => ({
              instance_id: instanceId,
              time: status.time,
              total: status.total,
              active: status.active,
              nodes: status.nodes,
              failed_nodes: status.failedNodes,
              error_code: status.error?.code ?? null,
              error_message: status.error?.message ?? null,
            }))
            await trx
              .insertInto('sampled_collections')
              .values(rows)
              .onConflict((oc) =>
                oc.column('instance_id').doUpdateSet((eb) => ({
                  time: eb.ref('excluded.time'),
                  total: eb.ref('excluded.total'),
                  active: eb.ref('excluded.active'),
                  nodes: eb.ref('excluded.nodes'),
                  failed_nodes: eb.ref('excluded.failed_nodes'),
                  error_code: eb.ref('excluded.error_code'),
                  error_message: eb.ref('excluded.error_message'),
                }))
              )
              .execute()
          }
        })
      )
    },

    async latest(instanceIds) {
      const found = new Map<string, CollectionStatus>()
      // One query per chunk: a page of DescribeRedisInstances is at most 100 ids.
      for (let i = 0; i < instanceIds.length; i += CHUNK) {
        const rows = await db
          .selectFrom('sampled_collections')
          .selectAll()
          .where('instance_id', 'in', instanceIds.slice(i, i + CHUNK))
          .execute()
        for (const row of rows) found.set(row.instance_id, fromRow(row))
      }
      return found
    },
  }
}
