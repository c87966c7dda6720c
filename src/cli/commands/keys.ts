import type { Command } from 'commander'
import { ACCESS_KEYS, NEW_ACCESS_KEY, parseData } from '../identity/data-schemas.ts'
import {
  printTable,
  withIdentityClient,
  withWhereOptions,
  type WhereOptions,
} from '../identity/identity-client.ts'

/**
 * `redis-sessions keys create|list|disable|enable|delete` (contract §8) on the local store or,
 * with `--endpoint`, through CreateAccessKey, ListAccessKeys, UpdateAccessKey and
 * DeleteAccessKey. A secret is printed once, by `keys create`, and never listed.
 */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('AccessKeys of users (API and SDK credentials)')
  withWhereOptions(keys.command('create'))
    .description('create an Active AccessKey; its secret is shown only now')
    .requiredOption('--user <name>', 'the user who owns the key')
    .option('--json', 'print {"AccessKeyId": "...", "AccessKeySecret": "..."}')
    .action(async (options: WhereOptions & { user: string; json?: boolean }) => {
      const data = await withIdentityClient(options, (client) =>
        client.call('CreateAccessKey', { UserName: options.user })
      )
      const { AccessKeyId: id, AccessKeySecret: secret } = parseData(NEW_ACCESS_KEY, data).AccessKey
      // Contract §8 fixes this exact text, spaces included.
      const text =
        options.json === true
          ? `{"AccessKeyId": ${JSON.stringify(id)}, "AccessKeySecret": ${JSON.stringify(secret)}}\n`
          : `AccessKeyId:     ${id}\nAccessKeySecret: ${secret}\n` +
            'Keep the secret now: it is not shown again.\n'
      process.stdout.write(text)
    })
  withWhereOptions(keys.command('list'))
    .description('AccessKeys with owner and status (never a secret)')
    .option('--user <name>', 'only the keys of this user')
    .option('--json', 'print the keys as a JSON array')
    .action(async (options: WhereOptions & { user?: string; json?: boolean }) => {
      const params = options.user === undefined ? {} : { UserName: options.user }
      const data = await withIdentityClient(options, (client) =>
        client.call('ListAccessKeys', params)
      )
      const list = parseData(ACCESS_KEYS, data).AccessKeys.AccessKey
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(list)}\n`)
        return
      }
      printTable(list, [
        { header: 'ACCESS KEY ID', priority: 1, cell: (key) => key.AccessKeyId },
        { header: 'USER', priority: 1, cell: (key) => key.UserName },
        { header: 'STATUS', priority: 2, cell: (key) => key.Status },
        { header: 'CREATED', priority: 3, cell: (key) => key.CreateDate },
      ])
    })
  const setStatus = (verb: string, status: 'Active' | 'Inactive', description: string) =>
    withWhereOptions(keys.command(verb))
      .description(description)
      .argument('<AccessKeyId>')
      .action(async (accessKeyId: string, options: WhereOptions) => {
        await withIdentityClient(options, (client) =>
          client.call('UpdateAccessKey', { UserAccessKeyId: accessKeyId, Status: status })
        )
        process.stdout.write(`${verb}d ${accessKeyId}\n`)
      })
  setStatus('disable', 'Inactive', 'make a key Inactive: its requests fail until enabled again')
  setStatus('enable', 'Active', 'make a key Active again')
  withWhereOptions(keys.command('delete'))
    .description('delete a key for good')
    .argument('<AccessKeyId>')
    .action(async (accessKeyId: string, options: WhereOptions) => {
      await withIdentityClient(options, (client) =>
        client.call('DeleteAccessKey', { UserAccessKeyId: accessKeyId })
      )
      process.stdout.write(`deleted ${accessKeyId}\n`)
    })
}
