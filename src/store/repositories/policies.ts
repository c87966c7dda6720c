import type { Selectable } from 'kysely'
import { StoreConflictError, StoreNotFoundError } from '../errors.ts'
import { toNumber, type PoliciesTable } from '../schema.ts'
import type { Policy, PolicyRepository } from '../store.ts'
import type { RepositoryContext } from './context.ts'
import { translateDbErrors } from './db-errors.ts'
import { checkLength, checkPattern, POLICY_NAME_PATTERN } from './validate.ts'

/** RAM policy documents are limited to 6144 characters; leave room for pretty-printed JSON. */
const MAX_DOCUMENT = 65536
const MAX_DESCRIPTION = 1024

function present(row: Selectable<PoliciesTable>): Policy {
  return {
    name: row.name,
    document: row.document,
    description: row.description,
    createdAt: toNumber(row.created_at),
  }
}

/** Policies and their attachments to users, on kysely (see {@link PolicyRepository}). */
export function createPolicyRepository({ db, now }: RepositoryContext): PolicyRepository {
  return {
    async create(name, documentJson, description) {
      checkPattern('policy name', name, POLICY_NAME_PATTERN)
      checkLength('policy document', documentJson, MAX_DOCUMENT, 1)
      checkLength('policy description', description, MAX_DESCRIPTION)
      const row = await translateDbErrors('policy', () =>
        db
          .insertInto('policies')
          .values({ name, document: documentJson, description, created_at: now() })
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .executeTakeFirst()
      )
      if (row === undefined) throw new StoreConflictError('policy', `policy ${name} already exists`)
      return present(row)
    },

    async get(name) {
      const row = await db
        .selectFrom('policies')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst()
      return row === undefined ? undefined : present(row)
    },

    async list() {
      const rows = await db.selectFrom('policies').selectAll().orderBy('name').execute()
      return rows.map(present)
    },

    async delete(name) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('policy_attachments').where('policy_name', '=', name).execute()
        const result = await trx.deleteFrom('policies').where('name', '=', name).executeTakeFirst()
        if (result.numDeletedRows === 0n) {
          throw new StoreNotFoundError('policy', `no policy ${name}`)
        }
      })
    },

    async attach(policyName, userName) {
      await translateDbErrors('attachment', () =>
        db.transaction().execute(async (trx) => {
          const policy = await trx
            .selectFrom('policies')
            .select('name')
            .where('name', '=', policyName)
            .executeTakeFirst()
          if (policy === undefined) {
            throw new StoreNotFoundError('policy', `no policy ${policyName}`)
          }
          const user = await trx
            .selectFrom('users')
            .select('name')
            .where('name', '=', userName)
            .executeTakeFirst()
          if (user === undefined) throw new StoreNotFoundError('user', `no user ${userName}`)
          const row = await trx
            .insertInto('policy_attachments')
            .values({ policy_name: policyName, user_name: userName, created_at: now() })
            .onConflict((oc) => oc.doNothing())
            .returning('policy_name')
            .executeTakeFirst()
          if (row === undefined) {
            throw new StoreConflictError(
              'attachment',
              `policy ${policyName} is already attached to user ${userName}`
            )
          }
        })
      )
    },

    async detach(policyName, userName) {
      const result = await db
        .deleteFrom('policy_attachments')
        .where('policy_name', '=', policyName)
        .where('user_name', '=', userName)
        .executeTakeFirst()
      if (result.numDeletedRows === 0n) {
        throw new StoreNotFoundError(
          'attachment',
          `policy ${policyName} is not attached to user ${userName}`
        )
      }
    },

    async listForUser(userName) {
      return db
        .selectFrom('policy_attachments as a')
        .innerJoin('policies as p', 'p.name', 'a.policy_name')
        .select(['p.name', 'p.document'])
        .where('a.user_name', '=', userName)
        .orderBy('p.name')
        .execute()
    },
  }
}
