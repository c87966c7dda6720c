import { instanceArn } from '../../authz/resource-arn.ts'
import { defineAction } from '../action.ts'
import { KILL_PARAMS, parseKillParams } from './kill-params.ts'
import { auditOfKill, presentKill } from './present-kill.ts'
import { runKillRedisSessions } from './run-kill-redis-sessions.ts'

/**
 * KillRedisSessions (contract §5): kills the sessions named in `Sessions` or chosen by filters,
 * with `DryRun=true` listing what would die. Replication links, Sentinel links and the
 * service's own connections are reported `protected` and never killed (as in §4). Audited with
 * the counts and the dry-run flag.
 */
export const killRedisSessions = defineAction({
  name: 'KillRedisSessions',
  ramAction: 'hdm:KillRedisSessions',
  params: KILL_PARAMS,
  audited: true,
  parse: parseKillParams,
  resource: ({ instanceId }) => instanceArn(instanceId),
  instanceOf: ({ instanceId }) => instanceId,
  async handle(request, { services }) {
    const run = await runKillRedisSessions(request, services)
    return { data: presentKill(run), audit: auditOfKill(request, run) }
  },
})
