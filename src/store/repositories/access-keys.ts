import {
  StoreConflictError,
  StoreCorruptError,
  StoreInvalidInputError,
  StoreNotFoundError,
} from '../errors.ts'
import { newAccessKeyId, newAccessKeySecret } from '../random-ids.ts'
import { toNumber } from '../schema.ts'
import { openSecret, sealSecret } from '../secret-box.ts'
import type { AccessKeyRepository, AccessKeyStatus } from '../store.ts'
import type { RepositoryContext } from './context.ts'
import { translateDbErrors } from './db-errors.ts'
import { ACCESS_KEY_ID_PATTERN, checkLength, checkPattern } from './validate.ts'

function parseStatus(value: string): AccessKeyStatus {
  if (value === 'Active' || value === 'Inactive') return value
  throw new StoreCorruptError(`unknown AccessKey status in the store`)
}

function checkStatus(value: string): void {
  if (value !== 'Active' && value !== 'Inactive') {
    throw new StoreInvalidInputError('AccessKey status must be Active or Inactive')
  }
}

/** AccessKeys on kysely; secrets sealed with the master key (see {@link AccessKeyRepository}). */
export function createAccessKeyRepository({
  db,
  masterKey,
  now,
}: RepositoryContext): AccessKeyRepository {
  return {
    async create(userName, given) {
      if (given !== undefined) {
        checkPattern('AccessKeyId', given.accessKeyId, ACCESS_KEY_ID_PATTERN)
        checkLength('AccessKeySecret', given.accessKeySecret, 256, 1)
      }
      const key = given ?? { accessKeyId: newAccessKeyId(), accessKeySecret: newAccessKeySecret() }
      await translateDbErrors('accessKey', () =>
        db.transaction().execute(async (trx) => {
          const user = await trx
            .selectFrom('users')
            .select('name')
            .where('name', '=', userName)
            .executeTakeFirst()
          if (user === undefined) throw new StoreNotFoundError('user', `no user ${userName}`)
          const row = await trx
            .insertInto('access_keys')
            .values({
              access_key_id: key.accessKeyId,
              user_name: userName,
              secret_sealed: sealSecret(masterKey, key.accessKeySecret),
              status: 'Active',
              created_at: now(),
            })
            .onConflict((oc) => oc.doNothing())
            .returning('access_key_id')
            .executeTakeFirst()
          if (row === undefined) {
            throw new StoreConflictError('accessKey', `AccessKey ${key.accessKeyId} already exists`)
          }
        })
      )
      return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret }
    },

    async getForVerification(accessKeyId) {
      const row = await db
        .selectFrom('access_keys')
        .select(['access_key_id', 'secret_sealed', 'status', 'user_name'])
        .where('access_key_id', '=', accessKeyId)
        .executeTakeFirst()
      if (row === undefined) return undefined
      return {
        accessKeyId: row.access_key_id,
        secret: openSecret(masterKey, row.secret_sealed),
        status: parseStatus(row.status),
        userName: row.user_name,
      }
    },

    async setStatus(accessKeyId, status) {
      checkStatus(status)
      const result = await db
        .updateTable('access_keys')
        .set({ status })
        .where('access_key_id', '=', accessKeyId)
        .executeTakeFirst()
      if (result.numUpdatedRows === 0n) {
        throw new StoreNotFoundError('accessKey', `no AccessKey ${accessKeyId}`)
      }
    },

    async list(userName) {
      let query = db
        .selectFrom('access_keys')
        .select(['access_key_id', 'user_name', 'status', 'created_at'])
        .orderBy('user_name')
        .orderBy('created_at')
        .orderBy('access_key_id')
      if (userName !== undefined) query = query.where('user_name', '=', userName)
      const rows = await query.execute()
      return rows.map((row) => ({
        accessKeyId: row.access_key_id,
        userName: row.user_name,
        status: parseStatus(row.status),
        createdAt: toNumber(row.created_at),
      }))
    },

    async delete(accessKeyId) {
      const result = await db
        .deleteFrom('access_keys')
        .where('access_key_id', '=', accessKeyId)
        .executeTakeFirst()
      if (result.numDeletedRows === 0n) {
        throw new StoreNotFoundError('accessKey', `no AccessKey ${accessKeyId}`)
      }
    },
  }
}
