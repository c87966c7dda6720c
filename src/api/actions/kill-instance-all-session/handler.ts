import { KEEP_ALL } from '../../../core/filter/session-filter.ts'
import { instanceArn } from '../../authz/resource-arn.ts'
import { defineAction } from '../action.ts'
import { runKillRedisSessions } from '../kill-redis-sessions/run-kill-redis-sessions.ts'
import { instanceIdParam, optionalString } from '../params.ts'

/**
 * KillInstanceAllSession (contract §4): kills every normal and pub/sub session on every
 * node, never replication links, Sentinel links or the service's own connections. DAS
 * answers `Data: "None"`; extensions beside it: `Killed` (sessions closed), `Failed` (kills
 * that failed), `Complete` (every node answered the listing) and `Nodes` (each node's status,
 * as GetRedisAllSession's `Data.Nodes`), so a node that could not be listed is not silent.
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
    const run = await runKillRedisSessions(
      {
        instanceId,
        dryRun: false,
        selection: { kind: 'filter', filter: {}, predicate: KEEP_ALL, described: '' },
      },
      services
    )
    const count = (kind: string) => run.results.filter((result) => result.result === kind).length
    const killed = count('killed')
    const failed = count('failed')
    const complete = run.unansweredNodes.length === 0
    return {
      data: 'None',
      extra: { Killed: killed, Failed: failed, Complete: complete, Nodes: run.nodes },
      audit: {
        killed,
        gone: count('gone'),
        protected: count('protected'),
        failed,
        complete,
      },
    }
  },
})
