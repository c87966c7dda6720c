import type { Selectable } from 'kysely'
import { StoreConflictError, StoreNotFoundError } from '../errors.ts'
import { toNumber, type UsersTable } from '../schema.ts'
import type { User, UserRepository, UserSummary } from '../store.ts'
import type { RepositoryContext } from './context.ts'
import { translateDbErrors } from './db-errors.ts'
import { checkLength, checkPattern, USER_NAME_PATTERN } from './validate.ts'

function summarize(row: Selectable<UsersTable>): UserSummary {
  return {
    name: row.name,
    hasPassword: row.password_hash !== null,
    createdAt: toNumber(row.created_at),
  }
}

function checkHash(hash: string): void {
  // The store keeps what password-hash.ts makes; it only refuses what cannot be one.
  checkLength('password hash', hash, 1024, 1)
}

/** Users on kysely (see {@link UserRepository}). */
export function createUserRepository({ db, now }: RepositoryContext): UserRepository {
  return {
    async create(name, passwordHash) {
      checkPattern('user name', name, USER_NAME_PATTERN)
      if (passwordHash !== undefined) checkHash(passwordHash)
      const row = await translateDbErrors('user', () =>
        db
          .insertInto('users')
          .values({ name, password_hash: passwordHash ?? null, created_at: now() })
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .executeTakeFirst()
      )
      if (row === undefined) throw new StoreConflictError('user', `user ${name} already exists`)
      return summarize(row)
    },

    async get(name) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst()
      if (row === undefined) return undefined
      const user: User = summarize(row)
      if (row.password_hash !== null) user.passwordHash = row.password_hash
      return user
    },

    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('name').execute()
      return rows.map(summarize)
    },

    async setPassword(name, passwordHash) {
      if (passwordHash !== null) checkHash(passwordHash)
      const result = await db
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('name', '=', name)
        .executeTakeFirst()
      if (result.numUpdatedRows === 0n) throw new StoreNotFoundError('user', `no user ${name}`)
    },

    async delete(name) {
      // Explicit deletes rather than trusting ON DELETE CASCADE alone: one transaction, and the
      // outcome does not depend on the connection having foreign keys enforced.
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('temp_credentials').where('user_name', '=', name).execute()
        await trx.deleteFrom('access_keys').where('user_name', '=', name).execute()
        await trx.deleteFrom('policy_attachments').where('user_name', '=', name).execute()
        const result = await trx.deleteFrom('users').where('name', '=', name).executeTakeFirst()
        if (result.numDeletedRows === 0n) throw new StoreNotFoundError('user', `no user ${name}`)
      })
    },
  }
}
