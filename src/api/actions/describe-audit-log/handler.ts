import { ALL_RESOURCES } from '../../authz/resource-arn.ts'
import { defineAction } from '../action.ts'
import { AUDIT_PARAMS, parseAuditLogParams, queryAuditLog } from './describe-audit-log.ts'

/**
 * DescribeAuditLog (contract §5): who did what (kills, registry and identity changes), when,
 * from where, with what result; newest first, paged. The log spans every instance, so the
 * resource is `*`. Reading it is not itself audited.
 */
export const describeAuditLog = defineAction({
  name: 'DescribeAuditLog',
  ramAction: 'hdm:DescribeAuditLog',
  params: AUDIT_PARAMS,
  audited: false,
  parse: parseAuditLogParams,
  resource: () => ALL_RESOURCES,
  async handle(request, { services }) {
    return { data: await queryAuditLog(services.store, request) }
  },
})
