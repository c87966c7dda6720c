import { StoreNotFoundError } from '../../../store/errors.ts'
import type { Store } from '../../../store/store.ts'
import { instanceArn } from '../../authz/resource-arn.ts'
import { ApiError } from '../../errors/api-error.ts'
import { defineAction } from '../action.ts'
import type { RegisteredInstance } from '../add-redis-instance/handler.ts'
import { draftForModify, patchOf } from '../instances/instance-draft.ts'
import {
  INSTANCE_FIELD_PARAMS,
  parseInstanceFields,
  type InstanceFieldParams,
} from '../instances/instance-params.ts'
import { presentRegistration } from '../instances/present-instance.ts'
import { nodeTimeouts, probeInstance, type ProbeTimeouts } from '../instances/probe-instance.ts'
import { instanceIdParam } from '../params.ts'

/** Parsed parameters of ModifyRedisInstance. */
export interface ModifyInstanceParams {
  instanceId: string
  fields: InstanceFieldParams
}

/**
 * Changes a registered instance: absent fields are kept, empty ones cleared
 * (`Password=""`); the result is probed unless `SkipCheck`, then stored.
 * `InvalidInstanceId.NotFound` when unknown. Shared by the action and the CLI.
 */
export async function modifyInstance(
  store: Store,
  { instanceId, fields }: ModifyInstanceParams,
  timeouts: ProbeTimeouts
): Promise<RegisteredInstance> {
  const current = await store.instances.get(instanceId)
  if (current === undefined) {
    throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
  }
  const password = current.hasPassword
    ? await store.instances.getConnectionSecret(instanceId)
    : undefined
  const draft = draftForModify(current, password, fields)
  const probe = fields.skipCheck ? undefined : await probeInstance(draft, timeouts)
  try {
    const instance = await store.instances.update(instanceId, patchOf(draft, fields))
    return { instance, nodes: probe?.nodes }
  } catch (error) {
    // Deleted by someone else while we probed.
    if (error instanceof StoreNotFoundError) {
      throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
    }
    throw error
  }
}

/**
 * ModifyRedisInstance (contract §5): `InstanceId` plus any AddRedisInstance field.
 * `Data` is the instance without secrets (plus `Nodes` when probed); the instance's
 * cached sessions are dropped so the next listing uses the new settings.
 */
export const modifyRedisInstance = defineAction({
  name: 'ModifyRedisInstance',
  ramAction: 'hdm:ModifyRedisInstance',
  params: ['InstanceId', ...INSTANCE_FIELD_PARAMS],
  audited: true,
  parse: (params) => ({ instanceId: instanceIdParam(params), fields: parseInstanceFields(params) }),
  resource: ({ instanceId }) => instanceArn(instanceId),
  instanceOf: ({ instanceId }) => instanceId,
  async handle(params, { services }) {
    const { instance, nodes } = await modifyInstance(
      services.store,
      params,
      nodeTimeouts(services.nodeTimeoutMs)
    )
    // The cached listing and the last collection describe the settings before the change.
    services.sessions.forget(instance.instanceId)
    return {
      data: presentRegistration(instance, nodes),
      audit: {
        changed: changedFields(params.fields).join(','),
        probedNodes: nodes === undefined ? null : nodes.length,
      },
    }
  },
})

/** The parameter names given (never their values: one may be the password). */
function changedFields(fields: InstanceFieldParams): string[] {
  const given: [string, unknown][] = [
    ['Topology', fields.topology],
    ['Endpoints', fields.endpoints],
    ['Username', fields.username],
    ['Password', fields.password],
    ['Tls', fields.tls],
    ['TlsCa', fields.tlsCa],
    ['TlsServerName', fields.tlsServerName],
    ['TlsSkipVerify', fields.tlsSkipVerify],
    ['SentinelMasterName', fields.sentinelMasterName],
    ['AddressMap', fields.addressMap],
    ['Description', fields.description],
  ]
  return given.filter(([, value]) => value !== undefined).map(([name]) => name)
}
