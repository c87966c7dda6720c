import { z } from 'zod'

/**
 * The wire shape of one registered instance (contract §2, §5), strict: any extra field —
 * a `Password`, the CA text — fails the parse.
 */
export const INSTANCE_WIRE = z.strictObject({
  InstanceId: z.string(),
  Topology: z.enum(['standalone', 'sentinel', 'cluster', 'nodes']),
  Endpoints: z.array(z.string()),
  Username: z.string(),
  HasPassword: z.boolean(),
  Tls: z.strictObject({
    Enabled: z.boolean(),
    ServerName: z.string(),
    SkipVerify: z.boolean(),
    HasCa: z.boolean(),
  }),
  SentinelMasterName: z.string(),
  AddressMap: z
    .array(z.strictObject({ From: z.string(), To: z.string() }))
    .min(1)
    .optional(),
  Description: z.string(),
  CreatedAt: z.number().int(),
  UpdatedAt: z.number().int(),
  LastCollection: z
    .strictObject({
      Time: z.number().int(),
      Total: z.number().int().nonnegative(),
      Active: z.number().int().nonnegative(),
      Nodes: z.number().int().nonnegative(),
      FailedNodes: z.number().int().nonnegative(),
      Complete: z.boolean(),
      Error: z.strictObject({ Code: z.string(), Message: z.string() }).optional(),
    })
    .optional(),
})

/** `Data` of Add/ModifyRedisInstance: the instance, plus `Nodes` when probed. */
export const REGISTRATION_WIRE = INSTANCE_WIRE.extend({
  Nodes: z
    .array(
      z.strictObject({
        NodeId: z.string(),
        Address: z.string(),
        Role: z.enum(['master', 'replica', 'proxy']),
        Shard: z.number().int(),
        SkipReason: z.string().optional(),
      })
    )
    .optional(),
})

/** `Data` of DescribeRedisInstances. */
export const INSTANCE_PAGE_WIRE = z.strictObject({
  Total: z.number().int(),
  PageNumber: z.number().int(),
  PageSize: z.number().int(),
  Instances: z.array(INSTANCE_WIRE),
})
