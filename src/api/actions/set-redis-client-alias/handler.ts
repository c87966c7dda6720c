import { StoreNotFoundError } from '../../../store/errors.ts'
import { ApiError } from '../../errors/api-error.ts'
import { defineAction } from '../action.ts'
import {
  aliasResource,
  cidrParam,
  descriptionParam,
  presentAlias,
  requireInstance,
  scopeParam,
} from './alias-params.ts'

/**
 * SetRedisClientAlias (contract §5): names an IP or network, for one instance or globally
 * (`InstanceId` absent); setting an existing alias replaces its description. Sessions and
 * SourceStats show it as `ClientDesc` within the alias cache time (1 s).
 */
export const setRedisClientAlias = defineAction({
  name: 'SetRedisClientAlias',
  ramAction: 'hdm:SetRedisClientAlias',
  params: ['Cidr', 'Description', 'InstanceId'],
  audited: true,
  parse: (params) => ({
    cidr: cidrParam(params),
    description: descriptionParam(params),
    instanceId: scopeParam(params),
  }),
  resource: ({ instanceId }) => aliasResource(instanceId),
  instanceOf: ({ instanceId }) => instanceId ?? undefined,
  async handle({ cidr, description, instanceId }, { services }) {
    await requireInstance(services.store, instanceId)
    try {
      const alias = await services.store.aliases.set(cidr, description, instanceId)
      return { data: presentAlias(alias), audit: { cidr, description } }
    } catch (error) {
      // The instance was deleted between the check above and the write.
      if (error instanceof StoreNotFoundError && instanceId !== null) {
        throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
      }
      throw error
    }
  },
})
