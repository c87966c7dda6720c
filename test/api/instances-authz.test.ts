import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { INSTANCE_PAGE_WIRE } from './support/instance-wire.ts'
import {
  assertApiError,
  dataOf,
  isJsonObject,
  signedInject,
  type InjectedResponse,
} from './support/signed-inject.ts'
import {
  createTestApp,
  createUserWithPolicy,
  type TestApp,
  type TestCredentials,
} from './support/test-app.ts'

void describe('instance registry authorization (RAM actions and instance ARNs)', () => {
  let test: TestApp
  let reader: TestCredentials
  let teamA: TestCredentials

  before(async () => {
    test = await createTestApp()
    reader = await createUserWithPolicy(test.store, 'reader', {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'hdm:DescribeRedisInstances', Resource: '*' }],
    })
    teamA = await createUserWithPolicy(test.store, 'team-a-ops', {
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['hdm:ModifyRedisInstance', 'hdm:DescribeRedisInstances'],
          Resource: 'acs:hdm:*:*:instance/team-a-*',
        },
      ],
    })
    for (const id of ['team-a-1', 'team-b-1']) {
      const params = { InstanceId: id, Topology: 'standalone', Endpoints: '127.0.0.1:1' }
      await as(test.admin, 'AddRedisInstance', { ...params, SkipCheck: 'true' }).then(dataOf)
    }
  })
  after(async () => {
    await test?.close()
  })

  function as(
    who: TestCredentials,
    action: string,
    params: Record<string, string>
  ): Promise<InjectedResponse> {
    return signedInject(test.app, { action, params, ...who })
  }

  function assertDenied(response: InjectedResponse, action: string): void {
    assertApiError(response, 'NoPermission', 403)
    const detail = response.json['AccessDeniedDetail']
    assert.ok(isJsonObject(detail), response.text)
    assert.equal(detail['AuthAction'], action)
  }

  void it('lets a Describe-only user list but not add, modify or delete', async () => {
    const page = INSTANCE_PAGE_WIRE.parse(dataOf(await as(reader, 'DescribeRedisInstances', {})))
    assert.deepEqual(
      page.Instances.map((instance) => instance.InstanceId),
      ['team-a-1', 'team-b-1']
    )
    const add = await as(reader, 'AddRedisInstance', {
      InstanceId: 'reader-1',
      Topology: 'standalone',
      Endpoints: '127.0.0.1:1',
      SkipCheck: 'true',
    })
    assertDenied(add, 'hdm:AddRedisInstance')
    assert.equal(await test.store.instances.get('reader-1'), undefined)
    const modify = await as(reader, 'ModifyRedisInstance', {
      InstanceId: 'team-a-1',
      SkipCheck: 'true',
    })
    assertDenied(modify, 'hdm:ModifyRedisInstance')
    assertDenied(
      await as(reader, 'DeleteRedisInstance', { InstanceId: 'team-a-1' }),
      'hdm:DeleteRedisInstance'
    )
  })

  void it('lets an instance/team-a-* grant modify team-a-1 but not team-b-1', async () => {
    const own = await as(teamA, 'ModifyRedisInstance', {
      InstanceId: 'team-a-1',
      Description: 'by team a',
      SkipCheck: 'true',
    })
    dataOf(own)
    assert.equal((await test.store.instances.get('team-a-1'))?.description, 'by team a')
    const other = await as(teamA, 'ModifyRedisInstance', {
      InstanceId: 'team-b-1',
      Description: 'by team a',
      SkipCheck: 'true',
    })
    assertDenied(other, 'hdm:ModifyRedisInstance')
    assert.equal((await test.store.instances.get('team-b-1'))?.description, '')
  })

  void it('checks a named instance against its ARN and lists only the instances allowed', async () => {
    dataOf(await as(teamA, 'DescribeRedisInstances', { InstanceId: 'team-a-1' }))
    assertDenied(
      await as(teamA, 'DescribeRedisInstances', { InstanceId: 'team-b-1' }),
      'hdm:DescribeRedisInstances'
    )
    // Denied on `*`, an instance/team-a-* grant lists its own instances, paged among them.
    const listed = async (who: TestCredentials, params: Record<string, string> = {}) => {
      const page = INSTANCE_PAGE_WIRE.parse(dataOf(await as(who, 'DescribeRedisInstances', params)))
      return { total: page.Total, ids: page.Instances.map((instance) => instance.InstanceId) }
    }
    await as(test.admin, 'AddRedisInstance', {
      InstanceId: 'team-a-2',
      Topology: 'standalone',
      Endpoints: '127.0.0.1:1',
      SkipCheck: 'true',
    }).then(dataOf)
    try {
      assert.deepEqual(await listed(teamA), { total: 2, ids: ['team-a-1', 'team-a-2'] })
      assert.deepEqual(await listed(teamA, { PageSize: '1', PageNumber: '2' }), {
        total: 2,
        ids: ['team-a-2'],
      })
      // Allowed on `*`, a Deny on one instance hides it from the listing too.
      const hiding = await createUserWithPolicy(test.store, 'all-but-team-b', {
        Version: '1',
        Statement: [
          { Effect: 'Allow', Action: 'hdm:DescribeRedisInstances', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 'hdm:DescribeRedisInstances',
            Resource: 'acs:hdm:*:*:instance/team-b-*',
          },
        ],
      })
      assert.deepEqual(await listed(hiding), {
        total: 2,
        ids: ['team-a-1', 'team-a-2'],
      })
      // A grant on other actions only: no instance to list, so NoPermission as before.
      const none = await createUserWithPolicy(test.store, 'modify-only', {
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: 'hdm:ModifyRedisInstance', Resource: '*' }],
      })
      assertDenied(await as(none, 'DescribeRedisInstances', {}), 'hdm:DescribeRedisInstances')
    } finally {
      await as(test.admin, 'DeleteRedisInstance', { InstanceId: 'team-a-2' }).then(dataOf)
    }
  })

  void it('audits denied registry changes with the caller and the instance', async () => {
    const { events } = await test.store.audit.query({
      action: 'ModifyRedisInstance',
      userName: 'team-a-ops',
      pageNumber: 1,
      pageSize: 10,
    })
    const results = events.map((event) => [event.instanceId, event.result]).sort()
    assert.deepEqual(results, [
      ['team-a-1', 'Success'],
      ['team-b-1', 'NoPermission'],
    ])
  })
})
