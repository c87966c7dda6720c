import { StoreConflictError, StoreNotFoundError } from '../errors.ts'
import { toNumber } from '../schema.ts'
import { openSecret, sealSecret } from '../secret-box.ts'
import type { InstanceRepository } from '../store.ts'
import type { RepositoryContext } from './context.ts'
import { translateDbErrors } from './db-errors.ts'
import { checkInstanceFields, fieldsOf, fromRow, toColumns } from './instance-rows.ts'
import { checkLength, pageOffset } from './validate.ts'

function checkPassword(password: string): void {
  checkLength('password', password, 4096, 1)
}

/** The registry of deployments; passwords sealed and write-only (see {@link InstanceRepository}). */
export function createInstanceRepository({
  db,
  masterKey,
  now,
}: RepositoryContext): InstanceRepository {
  return {
    async add(instance) {
      const { password, ...fields } = instance
      checkInstanceFields(fields)
      if (password !== undefined) checkPassword(password)
      const time = now()
      const row = await translateDbErrors('instance', () =>
        db
          .insertInto('instances')
          .values({
            ...toColumns(fields),
            password_sealed: password === undefined ? null : sealSecret(masterKey, password),
            created_at: time,
            updated_at: time,
          })
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .executeTakeFirst()
      )
      if (row === undefined) {
        throw new StoreConflictError('instance', `instance ${instance.instanceId} already exists`)
      }
      return fromRow(row)
    },

    async get(instanceId) {
      const row = await db
        .selectFrom('instances')
        .selectAll()
        .where('instance_id', '=', instanceId)
        .executeTakeFirst()
      return row === undefined ? undefined : fromRow(row)
    },

    async list({ page, pageSize }) {
      const offset = pageOffset(page, pageSize)
      const [count, rows] = await Promise.all([
        db
          .selectFrom('instances')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('instances')
          .selectAll()
          .orderBy('instance_id')
          .limit(pageSize)
          .offset(offset)
          .execute(),
      ])
      return { total: toNumber(count.n), items: rows.map(fromRow) }
    },

    async update(instanceId, patch) {
      if (typeof patch.password === 'string') checkPassword(patch.password)
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('instances')
          .selectAll()
          .where('instance_id', '=', instanceId)
          .executeTakeFirst()
        if (row === undefined) throw new StoreNotFoundError('instance', `no instance ${instanceId}`)
        const fields = fieldsOf(row)
        if (patch.topology !== undefined) fields.topology = patch.topology
        if (patch.endpoints !== undefined) fields.endpoints = patch.endpoints
        if (patch.tls !== undefined) fields.tls = patch.tls
        if (patch.description !== undefined) fields.description = patch.description
        if (patch.username === null) delete fields.username
        else if (patch.username !== undefined) fields.username = patch.username
        if (patch.sentinelMasterName === null) delete fields.sentinelMasterName
        else if (patch.sentinelMasterName !== undefined) {
          fields.sentinelMasterName = patch.sentinelMasterName
        }
        if (patch.addressMap === null || patch.addressMap?.length === 0) delete fields.addressMap
        else if (patch.addressMap !== undefined) fields.addressMap = patch.addressMap
        checkInstanceFields(fields)
        const password =
          patch.password === undefined
            ? row.password_sealed
            : patch.password === null
              ? null
              : sealSecret(masterKey, patch.password)
        const updated = await trx
          .updateTable('instances')
          .set({ ...toColumns(fields), password_sealed: password, updated_at: now() })
          .where('instance_id', '=', instanceId)
          .returningAll()
          .executeTakeFirstOrThrow()
        return fromRow(updated)
      })
    },

    async delete(instanceId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('client_aliases').where('instance_id', '=', instanceId).execute()
        await trx.deleteFrom('history_points').where('instance_id', '=', instanceId).execute()
        await trx.deleteFrom('sampled_collections').where('instance_id', '=', instanceId).execute()
        const result = await trx
          .deleteFrom('instances')
          .where('instance_id', '=', instanceId)
          .executeTakeFirst()
        if (result.numDeletedRows === 0n) {
          throw new StoreNotFoundError('instance', `no instance ${instanceId}`)
        }
      })
    },

    async getConnectionSecret(instanceId) {
      const row = await db
        .selectFrom('instances')
        .select('password_sealed')
        .where('instance_id', '=', instanceId)
        .executeTakeFirst()
      if (row === undefined) throw new StoreNotFoundError('instance', `no instance ${instanceId}`)
      return row.password_sealed === null ? undefined : openSecret(masterKey, row.password_sealed)
    },
  }
}
