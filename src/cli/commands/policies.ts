import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { CliError } from '../cli-error.ts'
import { parseData, POLICY_PAGE, readAllPages } from '../identity/data-schemas.ts'
import {
  printTable,
  withIdentityClient,
  withWhereOptions,
  type WhereOptions,
} from '../identity/identity-client.ts'

/** Larger than any valid document (6144 characters): the parser gives the precise reason. */
const MAX_DOCUMENT_FILE_BYTES = 64 * 1024

/**
 * `redis-sessions policies create|attach|detach|list|delete` (contract §8) on the local store
 * or, with `--endpoint`, through CreatePolicy, AttachPolicyToUser, DetachPolicyFromUser,
 * ListPolicies / ListPoliciesForUser and DeletePolicy. Documents: docs/policies.md.
 */
export function registerPolicies(program: Command): void {
  const policies = program.command('policies').description('RAM-style policies attached to users')
  withWhereOptions(policies.command('create'))
    .description('create a policy from a RAM policy document (validated)')
    .argument('<name>', 'policy name: letters, digits, . _ -, at most 128 characters')
    .requiredOption('--document <file.json>', 'the policy document')
    .option('--description <text>', 'free text, at most 1024 characters')
    .action(
      async (name: string, options: WhereOptions & { document: string; description?: string }) => {
        const document = await readDocument(options.document)
        await withIdentityClient(options, (client) =>
          client.call('CreatePolicy', {
            PolicyName: name,
            PolicyDocument: document,
            ...(options.description === undefined ? {} : { Description: options.description }),
          })
        )
        process.stdout.write(`created policy ${name}\n`)
      }
    )
  const attachment = (verb: 'attach' | 'detach', action: string, done: string) =>
    withWhereOptions(policies.command(verb))
      .description(`${verb} a policy ${verb === 'attach' ? 'to' : 'from'} a user`)
      .argument('<name>', 'policy name')
      .requiredOption('--user <user>', 'user name')
      .action(async (name: string, options: WhereOptions & { user: string }) => {
        await withIdentityClient(options, (client) =>
          client.call(action, { PolicyName: name, UserName: options.user })
        )
        process.stdout.write(
          `${done} ${name} ${verb === 'attach' ? 'to' : 'from'} ${options.user}\n`
        )
      })
  attachment('attach', 'AttachPolicyToUser', 'attached')
  attachment('detach', 'DetachPolicyFromUser', 'detached')
  withWhereOptions(policies.command('list'))
    .description('every policy, or those attached to one user')
    .option('--user <user>', 'only the policies attached to this user')
    .option('--json', 'print the policies as a JSON array')
    .action(async (options: WhereOptions & { user?: string; json?: boolean }) => {
      const user = options.user
      const list = await withIdentityClient(options, (client) =>
        readAllPages(async (marker) => {
          const params =
            user !== undefined
              ? { UserName: user }
              : { MaxItems: '1000', ...(marker === undefined ? {} : { Marker: marker }) }
          const action = user === undefined ? 'ListPolicies' : 'ListPoliciesForUser'
          const page = parseData(POLICY_PAGE, await client.call(action, params))
          return {
            items: page.Policies.Policy,
            marker: page.IsTruncated === true ? page.Marker : undefined,
          }
        })
      )
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(list)}\n`)
        return
      }
      printTable(list, [
        { header: 'POLICY', priority: 1, cell: (policy) => policy.PolicyName },
        { header: 'DESCRIPTION', priority: 2, cell: (policy) => policy.Description },
        { header: 'CREATED', priority: 3, cell: (policy) => policy.CreateDate },
      ])
    })
  withWhereOptions(policies.command('delete'))
    .description('delete a policy (detached from every user)')
    .argument('<name>')
    .action(async (name: string, options: WhereOptions) => {
      await withIdentityClient(options, (client) =>
        client.call('DeletePolicy', { PolicyName: name })
      )
      process.stdout.write(`deleted policy ${name}\n`)
    })
}

async function readDocument(file: string): Promise<string> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable'
    throw new CliError(`cannot read --document ${file}: ${code}`)
  }
  if (bytes.length > MAX_DOCUMENT_FILE_BYTES) {
    throw new CliError(`--document ${file} is larger than ${MAX_DOCUMENT_FILE_BYTES} bytes`)
  }
  return bytes.toString('utf8')
}
