import { createHash } from 'node:crypto'
import { StoreNotFoundError } from '../errors.ts'
import { newAccessKeySecret, newSecurityToken, newTempAccessKeyId } from '../random-ids.ts'
import { toNumber } from '../schema.ts'
import { openSecret, sealSecret } from '../secret-box.ts'
import type { TempCredentialRepository } from '../store.ts'
import type { RepositoryContext } from './context.ts'
import { translateDbErrors } from './db-errors.ts'
import { checkInteger } from './validate.ts'

/** Lower-case hex SHA-256; the token itself is never stored, like a password. */
function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** Console sign-in credentials, STS style (see {@link TempCredentialRepository}). */
export function createTempCredentialRepository({
  db,
  masterKey,
}: RepositoryContext): TempCredentialRepository {
  return {
    async create(userName, ttlMs, now) {
      checkInteger('ttlMs', ttlMs, 1)
      checkInteger('now', now)
      const issued = {
        accessKeyId: newTempAccessKeyId(),
        accessKeySecret: newAccessKeySecret(),
        securityToken: newSecurityToken(),
        expiresAt: now + ttlMs,
      }
      await translateDbErrors('tempCredentials', () =>
        db.transaction().execute(async (trx) => {
          const user = await trx
            .selectFrom('users')
            .select('name')
            .where('name', '=', userName)
            .executeTakeFirst()
          if (user === undefined) throw new StoreNotFoundError('user', `no user ${userName}`)
          await trx
            .insertInto('temp_credentials')
            .values({
              access_key_id: issued.accessKeyId,
              user_name: userName,
              secret_sealed: sealSecret(masterKey, issued.accessKeySecret),
              security_token_sha256: sha256Hex(issued.securityToken),
              expires_at: issued.expiresAt,
              revoked: 0,
              created_at: now,
            })
            .execute()
        })
      )
      return issued
    },

    async getForVerification(accessKeyId) {
      const row = await db
        .selectFrom('temp_credentials')
        .selectAll()
        .where('access_key_id', '=', accessKeyId)
        .executeTakeFirst()
      if (row === undefined) return undefined
      return {
        accessKeyId: row.access_key_id,
        secret: openSecret(masterKey, row.secret_sealed),
        userName: row.user_name,
        securityTokenSha256: row.security_token_sha256,
        expiresAt: toNumber(row.expires_at),
        revoked: row.revoked !== 0,
      }
    },

    async revoke(accessKeyId) {
      const result = await db
        .updateTable('temp_credentials')
        .set({ revoked: 1 })
        .where('access_key_id', '=', accessKeyId)
        .executeTakeFirst()
      if (result.numUpdatedRows === 0n) {
        throw new StoreNotFoundError('tempCredentials', `no temporary credentials ${accessKeyId}`)
      }
    },

    async revokeForUser(userName) {
      const result = await db
        .updateTable('temp_credentials')
        .set({ revoked: 1 })
        .where('user_name', '=', userName)
        .where('revoked', '=', 0)
        .executeTakeFirst()
      return Number(result.numUpdatedRows)
    },

    async deleteExpired(now) {
      const result = await db
        .deleteFrom('temp_credentials')
        .where('expires_at', '<=', now)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}
