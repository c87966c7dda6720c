import { defineAction } from '../action.ts'
import { pageParams, paginate } from '../identity/paginate.ts'
import { presentUser } from '../identity/present.ts'

/** RAM `ListUsers` (`Marker`, `MaxItems`) → `{Users: {User: [...]}, IsTruncated, Marker?}`. */
export const listUsers = defineAction({
  name: 'ListUsers',
  ramAction: 'ram:ListUsers',
  params: ['Marker', 'MaxItems'],
  audited: false,
  parse: (params) => pageParams(params),
  resource: () => '*',
  async handle(request, { services }) {
    const users = await services.store.users.list()
    const page = paginate(users, (user) => user.name, request)
    return {
      data: {
        Users: { User: page.items.map(presentUser) },
        IsTruncated: page.isTruncated,
        ...(page.marker === undefined ? {} : { Marker: page.marker }),
      },
    }
  },
})
