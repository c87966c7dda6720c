import { latestStatus } from '../../../service/collection-status.ts'
import type { CollectionStatus, Instance, Store } from '../../../store/store.ts'
import { ALL_RESOURCES, instanceArn } from '../../authz/resource-arn.ts'
import { ApiError } from '../../errors/api-error.ts'
import { defineAction, type ListingScope } from '../action.ts'
import {
  presentCollection,
  presentInstance,
  type PresentedInstance,
} from '../instances/present-instance.ts'
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

/** This process's last collection of an instance (`InstanceSessions.lastCollection`). */
export type LastCollectionOf = (instanceId: string) => CollectionStatus | undefined

/**
 * One page of the registry, sorted by InstanceId, or the one instance asked for
 * (`InvalidInstanceId.NotFound` when unknown), each with its `LastCollection`: the newer of
 * `lastCollectionOf` (this process; the CLI's local mode has none) and the history sampler's,
 * read from the store. Shared by the action and the CLI.
 */
export async function describeInstances(
  store: Store,
  { instanceId, pageNumber, pageSize }: DescribeInstancesParams,
  lastCollectionOf: LastCollectionOf = () => undefined,
  scope?: ListingScope
): Promise<DescribedInstances> {
  if (instanceId !== undefined) {
    const instance = await store.instances.get(instanceId)
    if (instance === undefined) {
      throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
    }
    const Instances = await withCollections(store, [instance], lastCollectionOf)
    return { Total: 1, PageNumber: 1, PageSize: pageSize, Instances }
  }
  if (scope !== undefined) {
    const allowed = (await allInstances(store)).filter((instance) =>
      scope.allows(instanceArn(instance.instanceId))
    )
    if (allowed.length === 0 && scope.denial !== undefined) throw scope.denial
    const page = allowed.slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
    return {
      Total: allowed.length,
      PageNumber: pageNumber,
      PageSize: pageSize,
      Instances: await withCollections(store, page, lastCollectionOf),
    }
  }
  const { total, items } = await store.instances.list({ page: pageNumber, pageSize })
  return {
    Total: total,
    PageNumber: pageNumber,
    PageSize: pageSize,
    Instances: await withCollections(store, items, lastCollectionOf),
  }
}

/** Every registered instance, by InstanceId, read page by page. */
async function allInstances(store: Store): Promise<Instance[]> {
  const all: Instance[] = []
  for (let page = 1; ; page++) {
    const { total, items } = await store.instances.list({ page, pageSize: MAX_PAGE_SIZE })
    all.push(...items)
    if (items.length === 0 || all.length >= total) return all
  }
}

async function withCollections(
  store: Store,
  instances: readonly Instance[],
  lastCollectionOf: LastCollectionOf
): Promise<PresentedInstance[]> {
  const sampled = await store.sampledCollections.latest(instances.map((i) => i.instanceId))
  return instances.map((instance) => {
    const { instanceId, updatedAt } = instance
    const status = latestStatus(updatedAt, lastCollectionOf(instanceId), sampled.get(instanceId))
    return {
      ...presentInstance(instance),
      ...(status === undefined ? {} : { LastCollection: presentCollection(status) }),
    }
  })
}

/**
 * DescribeRedisInstances (contract §5): the registry without secrets. The resource is the
 * instance's ARN when one is named, otherwise `*`: the instances the caller's policies allow,
 * one by one (`scopedListing`).
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
  scopedListing: true,
  async handle(params, { services, scope }) {
    return {
      data: await describeInstances(
        services.store,
        params,
        (instanceId) => services.sessions.lastCollection(instanceId),
        scope
      ),
    }
  },
})
