import { StoreNotFoundError } from '../errors.ts'
import type { AliasRepository, ClientAlias } from '../store.ts'
import type { RepositoryContext } from './context.ts'
import { translateDbErrors } from './db-errors.ts'
import { checkLength } from './validate.ts'

/** The global scope is stored as '' because NULLs never collide in a primary key. */
const GLOBAL = ''

function present(row: { cidr: string; description: string; instance_id: string }): ClientAlias {
  return {
    cidr: row.cidr,
    description: row.description,
    instanceId: row.instance_id === GLOBAL ? null : row.instance_id,
  }
}

/** Client aliases (IP/CIDR → description) per instance or global (see {@link AliasRepository}). */
export function createAliasRepository({ db, now }: RepositoryContext): AliasRepository {
  return {
    async set(cidr, description, instanceId) {
      // CIDR syntax and normalisation belong to the caller (ipaddr.js); the store keys on the text.
      checkLength('CIDR', cidr, 64, 1)
      checkLength('alias description', description, 1024)
      const scope = instanceId ?? GLOBAL
      await translateDbErrors('alias', () =>
        db.transaction().execute(async (trx) => {
          if (instanceId !== null) {
            const instance = await trx
              .selectFrom('instances')
              .select('instance_id')
              .where('instance_id', '=', instanceId)
              .executeTakeFirst()
            if (instance === undefined) {
              throw new StoreNotFoundError('instance', `no instance ${instanceId}`)
            }
          }
          await trx
            .insertInto('client_aliases')
            .values({ cidr, instance_id: scope, description, updated_at: now() })
            .onConflict((oc) =>
              oc.columns(['instance_id', 'cidr']).doUpdateSet({ description, updated_at: now() })
            )
            .execute()
        })
      )
      return { cidr, description, instanceId }
    },

    async list(instanceId) {
      let query = db
        .selectFrom('client_aliases')
        .select(['cidr', 'description', 'instance_id'])
        .orderBy('instance_id')
        .orderBy('cidr')
      if (instanceId === null) query = query.where('instance_id', '=', GLOBAL)
      else if (instanceId !== undefined) {
        query = query.where('instance_id', 'in', [GLOBAL, instanceId])
      }
      const rows = await query.execute()
      return rows.map(present)
    },

    async delete(cidr, instanceId) {
      const result = await db
        .deleteFrom('client_aliases')
        .where('cidr', '=', cidr)
        .where('instance_id', '=', instanceId ?? GLOBAL)
        .executeTakeFirst()
      return result.numDeletedRows > 0n
    },
  }
}
