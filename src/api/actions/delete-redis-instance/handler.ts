import { StoreNotFoundError } from '../../../store/errors.ts'
import type { Store } from '../../../store/store.ts'
import { instanceArn } from '../../authz/resource-arn.ts'
import { ApiError } from '../../errors/api-error.ts'
import { defineAction } from '../action.ts'
import { instanceIdParam } from '../params.ts'

/**
 * Removes a registered instance with its aliases and history;
 * `InvalidInstanceId.NotFound` when unknown. Shared by the action and the CLI.
 */
export async function deleteInstance(store: Store, instanceId: string): Promise<void> {
  try {
    await store.instances.delete(instanceId)
  } catch (error) {
    if (error instanceof StoreNotFoundError) {
      throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
    }
    throw error
  }
}

/** DeleteRedisInstance (contract §5): `Data: "None"`, as DAS answers actions without a result. */
export const deleteRedisInstance = defineAction({
  name: 'DeleteRedisInstance',
  ramAction: 'hdm:DeleteRedisInstance',
  params: ['InstanceId'],
  audited: true,
  parse: (params) => ({ instanceId: instanceIdParam(params) }),
  resource: ({ instanceId }) => instanceArn(instanceId),
  instanceOf: ({ instanceId }) => instanceId,
  async handle({ instanceId }, { services }) {
    await deleteInstance(services.store, instanceId)
    services.sessions.forget(instanceId)
    return { data: 'None' }
  },
})
