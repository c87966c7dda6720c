import type { Store } from '../../../store/store.ts'
import { ALL_RESOURCES, instanceArn } from '../../authz/resource-arn.ts'
import { ApiError } from '../../errors/api-error.ts'
import { defineAction } from '../action.ts'
import { presentInstance, type PresentedInstance } from '../instances/present-instance.ts'
import { instanceIdParam, integerParam } from '../params.ts'

/** Default and largest `PageSize` (contract §5). */
export const DEFAULT_PAGE_SIZE = 30
export const MAX_PAGE_SIZE = 100

/** Parsed parameters of DescribeRedisInstances. */
export interface DescribeInstancesParams {
  /** One instance only; absent = every instance, paged. */
  instanceId: string | undefined
  pageNumber: number
  pageSize: number
}

/** `Data` of DescribeRedisInstances. */
export interface DescribedInstances {
  Total: number
  PageNumber: number
  PageSize: number
  Instances: PresentedInstance[]
}

/** Reads DescribeRedisInstances' parameters; throws `InvalidParams`. */
export function parseDescribeInstances(
  params: ReadonlyMap<string, string>
): DescribeInstancesParams {
  const given = params.get('InstanceId')
  return {
    instanceId: given === undefined || given === '' ? undefined : instanceIdParam(params),
    pageNumber: integerParam(params, 'PageNumber', { min: 1, max: 1_000_000, fallback: 1 }) ?? 1,
    pageSize:
      integerParam(params, 'PageSize', {
        min: 1,
        max: MAX_PAGE_SIZE,
        fallback: DEFAULT_PAGE_SIZE,
      }) ?? DEFAULT_PAGE_SIZE,
  }
}

/**
 * One page of the registry, sorted by InstanceId, or the one instance asked for
 * (`InvalidInstanceId.NotFound` when unknown). Shared by the action and the CLI.
 */
export async function describeInstances(
  store: Store,
  { instanceId, pageNumber, pageSize }: DescribeInstancesParams
): Promise<DescribedInstances> {
  if (instanceId !== undefined) {
    const instance = await store.instances.get(instanceId)
    if (instance === undefined) {
      throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
    }
    return { Total: 1, PageNumber: 1, PageSize: pageSize, Instances: [presentInstance(instance)] }
  }
  const { total, items } = await store.instances.list({ page: pageNumber, pageSize })
  return {
    Total: total,
    PageNumber: pageNumber,
    PageSize: pageSize,
    Instances: items.map(presentInstance),
  }
}

/**
 * DescribeRedisInstances (contract §5): the registry without secrets. The resource is the
 * instance's ARN when one is named, otherwise `*` (listing every instance).
 */
export const describeRedisInstances = defineAction({
  name: 'DescribeRedisInstances',
  ramAction: 'hdm:DescribeRedisInstances',
  params: ['InstanceId', 'PageNumber', 'PageSize'],
  audited: false,
  parse: parseDescribeInstances,
  resource: ({ instanceId }) =>
    instanceId === undefined ? ALL_RESOURCES : instanceArn(instanceId),
  instanceOf: ({ instanceId }) => instanceId,
  async handle(params, { services }) {
    return { data: await describeInstances(services.store, params) }
  },
})
