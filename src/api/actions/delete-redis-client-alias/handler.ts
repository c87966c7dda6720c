import { ApiError } from '../../errors/api-error.ts'
import { defineAction } from '../action.ts'
import {
  aliasResource,
  cidrParam,
  requireInstance,
  scopeParam,
} from '../set-redis-client-alias/alias-params.ts'

/**
 * DeleteRedisClientAlias (contract §5): removes the alias of `Cidr` (any spelling of the same
 * network) in the scope named by `InstanceId` (absent = global); `EntityNotExist` when there
 * is none. `Data: "None"` as DAS answers actions without a result.
 */
export const deleteRedisClientAlias = defineAction({
  name: 'DeleteRedisClientAlias',
  ramAction: 'hdm:DeleteRedisClientAlias',
  params: ['Cidr', 'InstanceId'],
  audited: true,
  parse: (params) => ({ cidr: cidrParam(params), instanceId: scopeParam(params) }),
  resource: ({ instanceId }) => aliasResource(instanceId),
  instanceOf: ({ instanceId }) => instanceId ?? undefined,
  async handle({ cidr, instanceId }, { services }) {
    await requireInstance(services.store, instanceId)
    if (!(await services.store.aliases.delete(cidr, instanceId))) {
      const scope = instanceId === null ? 'global' : `instance ${instanceId}`
      throw new ApiError('EntityNotExist', { detail: `no ${scope} alias for ${cidr}` })
    }
    return { data: 'None', audit: { cidr } }
  },
})
