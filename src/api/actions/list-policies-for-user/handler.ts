import { defineAction } from '../action.ts'
import { requireUser } from '../identity/lookups.ts'
import { userNameParam } from '../identity/params.ts'
import { presentPolicy } from '../identity/present.ts'

/** RAM `ListPoliciesForUser` (`UserName`) → `{Policies: {Policy: [...]}}`; unknown user → `EntityNotExist`. */
export const listPoliciesForUser = defineAction({
  name: 'ListPoliciesForUser',
  ramAction: 'ram:ListPoliciesForUser',
  params: ['UserName'],
  audited: false,
  parse: (params) => ({ userName: userNameParam(params) }),
  resource: () => '*',
  async handle({ userName }, { services }) {
    await requireUser(services.store, userName)
    const attached = new Set(
      (await services.store.policies.listForUser(userName)).map((p) => p.name)
    )
    const policies = (await services.store.policies.list()).filter((p) => attached.has(p.name))
    return { data: { Policies: { Policy: policies.map(presentPolicy) } } }
  },
})
