import { defineAction } from '../action.ts'
import {
  aliasResource,
  presentAlias,
  requireInstance,
  scopeParam,
} from '../set-redis-client-alias/alias-params.ts'

/**
 * DescribeRedisClientAliases (contract §5): with `InstanceId`, the aliases that apply to that
 * instance (its own and the global ones); without, every alias. Sorted global first, then by
 * instance and CIDR; a global alias has `InstanceId: ""`.
 */
export const describeRedisClientAliases = defineAction({
  name: 'DescribeRedisClientAliases',
  ramAction: 'hdm:DescribeRedisClientAliases',
  params: ['InstanceId'],
  audited: false,
  parse: (params) => ({ instanceId: scopeParam(params) }),
  resource: ({ instanceId }) => aliasResource(instanceId),
  instanceOf: ({ instanceId }) => instanceId ?? undefined,
  async handle({ instanceId }, { services }) {
    await requireInstance(services.store, instanceId)
    const aliases = await services.store.aliases.list(instanceId ?? undefined)
    return { data: { Aliases: aliases.map(presentAlias) } }
  },
})
