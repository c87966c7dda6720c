import { collectDeployment } from '../../../core/collect/collect-deployment.ts'
import { killSessions } from '../../../core/kill/kill-sessions.ts'
import { instanceArn } from '../../authz/resource-arn.ts'
import { ApiError } from '../../errors/api-error.ts'
import { defineAction } from '../action.ts'
import { snapshotOf } from '../get-redis-all-session/handler.ts'
import { instanceIdParam, optionalString } from '../params.ts'

/**
 * KillInstanceAllSession (contract §4): kills every normal and pub/sub session on every
 * node, never replication links, Sentinel links or the service's own connections. DAS
 * answers `Data: "None"`; `Killed` (extension) counts the sessions closed.
 */
export const killInstanceAllSession = defineAction({
  name: 'KillInstanceAllSession',
  ramAction: 'hdm:KillInstanceAllSession',
  params: ['InstanceId', 'ConsoleContext'],
  audited: true,
  parse: (params) => {
    optionalString(params, 'ConsoleContext', 4096)
    return { instanceId: instanceIdParam(params) }
  },
  resource: ({ instanceId }) => instanceArn(instanceId),
  instanceOf: ({ instanceId }) => instanceId,
  async handle({ instanceId }, { services }) {
    const spec = await services.deploymentOf(instanceId)
    if (spec === undefined) {
      throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
    }
    // A fresh listing, never the cached one: kill what is connected now.
    const snapshot = await snapshotOf(instanceId, () => collectDeployment(spec))
    const results = await killSessions(snapshot, () => true, {
      connection: spec.connection,
      dryRun: false,
    })
    services.sessions.invalidate(instanceId)
    const count = (kind: string) => results.filter((result) => result.result === kind).length
    const killed = count('killed')
    return {
      data: 'None',
      extra: { Killed: killed },
      audit: {
        killed,
        gone: count('gone'),
        protected: count('protected'),
        failed: count('failed'),
        complete: snapshot.outcomes.every((outcome) => outcome.ok),
      },
    }
  },
})
