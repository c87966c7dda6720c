import { attachedPolicies } from '../../auth/authorize.ts'
import { ALL_RESOURCES, instanceArn } from '../../authz/resource-arn.ts'
import { ApiError } from '../../errors/api-error.ts'
import { defineAction } from '../action.ts'
import { instanceIdParam, invalid, requiredString } from '../params.ts'
import { decideChecks, MAX_CHECKS_JSON, parseChecks, refuseChecks } from './permission-checks.ts'

/**
 * DescribeCallerPermissions (ours): which of the given actions the caller may call, and why
 * not, decided by its own attached policies in this request's context (source IP, HTTPS, time,
 * AccessKey) — what the console asks once per page to disable buttons before anyone clicks.
 * It only reads the caller's own policies, hence `selfService` (no RAM action is checked); it
 * changes nothing, so it is not audited.
 */
export const describeCallerPermissions = defineAction({
  name: 'DescribeCallerPermissions',
  ramAction: 'hdm:DescribeCallerPermissions',
  params: ['Checks', 'InstanceId'],
  audited: false,
  selfService: true,
  parse: (params) => {
    // `InstanceId` only sets the default Resource of the checks.
    const given = params.get('InstanceId') ?? ''
    const resource = given === '' ? ALL_RESOURCES : instanceArn(instanceIdParam(params))
    return { checks: parseChecks(requiredString(params, 'Checks', MAX_CHECKS_JSON), resource) }
  },
  resource: () => ALL_RESOURCES,
  async handle({ checks }, { caller, services, authz }) {
    if (authz === undefined) invalid('DescribeCallerPermissions answers signed requests only')
    try {
      const policies = await attachedPolicies(services.store, caller.userName)
      return { data: { Results: decideChecks(policies, checks, authz) } }
    } catch (error) {
      // A broken attached policy fails every real call closed; say so for each check.
      if (!(error instanceof ApiError) || error.code !== 'NoPermission') throw error
      return { data: { Results: refuseChecks(checks, error.detail ?? error.message) } }
    }
  },
})
