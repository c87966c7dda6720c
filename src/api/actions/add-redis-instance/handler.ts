import type { RedisNode } from '../../../core/topology/topology.ts'
import type { Instance, Store } from '../../../store/store.ts'
import { instanceArn } from '../../authz/resource-arn.ts'
import { ApiError } from '../../errors/api-error.ts'
import { defineAction } from '../action.ts'
import { draftForAdd } from '../instances/instance-draft.ts'
import {
  INSTANCE_FIELD_PARAMS,
  parseInstanceFields,
  type InstanceFieldParams,
} from '../instances/instance-params.ts'
import { presentRegistration } from '../instances/present-instance.ts'
import { nodeTimeouts, probeInstance, type ProbeTimeouts } from '../instances/probe-instance.ts'
import { instanceIdParam } from '../params.ts'

/** Parsed parameters of AddRedisInstance. */
export interface AddInstanceParams {
  instanceId: string
  fields: InstanceFieldParams
}

/** A stored instance and, unless `SkipCheck`, the nodes the probe found. */
export interface RegisteredInstance {
  instance: Instance
  nodes: RedisNode[] | undefined
}

/** Reads AddRedisInstance's parameters (contract §5); throws `InvalidParams`. */
export function parseAddInstance(params: ReadonlyMap<string, string>): AddInstanceParams {
  const instanceId = instanceIdParam(params)
  const fields = parseInstanceFields(params)
  draftForAdd(instanceId, fields) // the cross-field rules fail before RAM and the probe
  return { instanceId, fields }
}

/**
 * Registers an instance: refuses a taken id, probes the deployment unless `SkipCheck`
 * (settling an absent `Topology` to standalone or cluster), then stores it with its
 * password sealed. Shared by the action and the CLI's local `instances add`.
 */
export async function addInstance(
  store: Store,
  { instanceId, fields }: AddInstanceParams,
  timeouts: ProbeTimeouts
): Promise<RegisteredInstance> {
  // Checked before the probe too, so a duplicate fails fast; the store's unique key still
  // decides a race (StoreConflictError → EntityAlreadyExists).
  if ((await store.instances.get(instanceId)) !== undefined) {
    throw new ApiError('EntityAlreadyExists', { detail: `instance ${instanceId} already exists` })
  }
  const draft = draftForAdd(instanceId, fields)
  const probe = fields.skipCheck ? undefined : await probeInstance(draft, timeouts)
  const topology = probe?.topology ?? draft.topology
  if (topology === 'auto') throw new Error('addInstance: topology not settled')
  const { password, ...rest } = draft
  const instance = await store.instances.add({
    ...rest,
    topology,
    ...(password === undefined ? {} : { password }),
  })
  return { instance, nodes: probe?.nodes }
}

/**
 * AddRedisInstance (contract §2, §5): registers a deployment; `Data` is the instance
 * without secrets, plus `Nodes` found by the probe.
 */
export const addRedisInstance = defineAction({
  name: 'AddRedisInstance',
  ramAction: 'hdm:AddRedisInstance',
  params: ['InstanceId', ...INSTANCE_FIELD_PARAMS],
  audited: true,
  parse: parseAddInstance,
  resource: ({ instanceId }) => instanceArn(instanceId),
  instanceOf: ({ instanceId }) => instanceId,
  async handle(params, { services }) {
    const { instance, nodes } = await addInstance(
      services.store,
      params,
      nodeTimeouts(services.nodeTimeoutMs)
    )
    // A cached listing or last collection of an earlier instance with this id must not be served.
    services.sessions.forget(instance.instanceId)
    return {
      data: presentRegistration(instance, nodes),
      audit: {
        topology: instance.topology,
        endpoints: instance.endpoints.length,
        tls: instance.tls.enabled,
        hasPassword: instance.hasPassword,
        addressMap: instance.addressMap?.length ?? 0,
        probedNodes: nodes === undefined ? null : nodes.length,
      },
    }
  },
})
