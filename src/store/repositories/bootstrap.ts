import { StoreConflictError } from '../errors.ts'
import { sealSecret } from '../secret-box.ts'
import type { BootstrapRepository } from '../store.ts'
import { auditRow } from './audit.ts'
import type { RepositoryContext } from './context.ts'
import { translateDbErrors } from './db-errors.ts'
import {
  ACCESS_KEY_ID_PATTERN,
  checkLength,
  checkPattern,
  POLICY_NAME_PATTERN,
  USER_NAME_PATTERN,
} from './validate.ts'

/**
 * The first administrator in one transaction (see {@link BootstrapRepository}): a crash or a
 * conflict between the writes leaves no user whose password was never shown, and no user
 * without its key. The same kysely code runs on SQLite and PostgreSQL.
 */
export function createBootstrapRepository({
  db,
  masterKey,
  now,
}: RepositoryContext): BootstrapRepository {
  return {
    async createAdministrator(admin) {
      checkPattern('user name', admin.userName, USER_NAME_PATTERN)
      checkLength('password hash', admin.passwordHash, 1024, 1)
      checkPattern('policy name', admin.policy.name, POLICY_NAME_PATTERN)
      checkLength('policy document', admin.policy.document, 65536, 1)
      checkPattern('AccessKeyId', admin.accessKey.accessKeyId, ACCESS_KEY_ID_PATTERN)
      checkLength('AccessKeySecret', admin.accessKey.accessKeySecret, 256, 1)
      const at = now()
      await translateDbErrors('administrator', () =>
        db.transaction().execute(async (trx) => {
          const user = await trx
            .insertInto('users')
            .values({ name: admin.userName, password_hash: admin.passwordHash, created_at: at })
            .onConflict((oc) => oc.doNothing())
            .returning('name')
            .executeTakeFirst()
          if (user === undefined) {
            throw new StoreConflictError('user', `user ${admin.userName} already exists`)
          }
          // An existing policy of that name is kept (an operator may have narrowed it).
          await trx
            .insertInto('policies')
            .values({
              name: admin.policy.name,
              document: admin.policy.document,
              description: admin.policy.description,
              created_at: at,
            })
            .onConflict((oc) => oc.doNothing())
            .execute()
          await trx
            .insertInto('policy_attachments')
            .values({ policy_name: admin.policy.name, user_name: admin.userName, created_at: at })
            .execute()
          const key = await trx
            .insertInto('access_keys')
            .values({
              access_key_id: admin.accessKey.accessKeyId,
              user_name: admin.userName,
              secret_sealed: sealSecret(masterKey, admin.accessKey.accessKeySecret),
              status: 'Active',
              created_at: at,
            })
            .onConflict((oc) => oc.doNothing())
            .returning('access_key_id')
            .executeTakeFirst()
          if (key === undefined) {
            const id = admin.accessKey.accessKeyId
            throw new StoreConflictError('accessKey', `AccessKey ${id} already exists`)
          }
          await trx.insertInto('audit_events').values(auditRow(admin.audit)).execute()
        })
      )
    },
  }
}
