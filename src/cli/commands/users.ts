import type { Command } from 'commander'
import { CliError } from '../cli-error.ts'
import { parseData, readAllPages, USER_PAGE } from '../identity/data-schemas.ts'
import {
  printTable,
  withIdentityClient,
  withWhereOptions,
  type WhereOptions,
} from '../identity/identity-client.ts'

/** A password is one short line; more than this on stdin is a mistake (a file piped by accident). */
const MAX_STDIN_BYTES = 4096

/**
 * `redis-sessions users create|list|set-password|delete` (contract §8) on the local store or,
 * with `--endpoint`, through CreateUser, ListUsers, UpdateLoginProfile and DeleteUser.
 * Passwords come from standard input only, never from an argument (visible in `ps`).
 */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('users of the API and console')
  withWhereOptions(users.command('create'))
    .description('create a user (AccessKeys: keys create; policies: policies attach)')
    .argument('<name>', 'user name: letters, digits, . _ @ -, at most 64 characters')
    .option('--password-stdin', 'read a console password (8–128 characters) from standard input')
    .action(async (name: string, options: WhereOptions & { passwordStdin?: boolean }) => {
      const password = options.passwordStdin === true ? await readPassword() : undefined
      await withIdentityClient(options, (client) =>
        client.call('CreateUser', {
          UserName: name,
          ...(password === undefined ? {} : { Password: password }),
        })
      )
      const how = password === undefined ? 'without console password' : 'with a console password'
      process.stdout.write(`created user ${name} (${how})\n`)
    })
  withWhereOptions(users.command('list'))
    .description('every user, and whether it can sign in to the console')
    .option('--json', 'print the users as a JSON array')
    .action(async (options: WhereOptions & { json?: boolean }) => {
      const list = await withIdentityClient(options, (client) =>
        readAllPages(async (marker) => {
          const params = { MaxItems: '1000', ...(marker === undefined ? {} : { Marker: marker }) }
          const page = parseData(USER_PAGE, await client.call('ListUsers', params))
          return { items: page.Users.User, marker: page.IsTruncated ? page.Marker : undefined }
        })
      )
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(list)}\n`)
        return
      }
      printTable(list, [
        { header: 'USER', priority: 1, cell: (user) => user.UserName },
        { header: 'CONSOLE', priority: 2, cell: (user) => (user.HasLoginProfile ? 'yes' : 'no') },
        { header: 'CREATED', priority: 3, cell: (user) => user.CreateDate },
      ])
    })
  withWhereOptions(users.command('set-password'))
    .description('set or replace the console password, read from standard input')
    .argument('<name>')
    .action(async (name: string, options: WhereOptions) => {
      const password = await readPassword()
      await withIdentityClient(options, (client) =>
        client.call('UpdateLoginProfile', { UserName: name, Password: password })
      )
      process.stdout.write(`set the console password of ${name}\n`)
    })
  withWhereOptions(users.command('delete'))
    .description('delete a user with its AccessKeys, console sessions and attachments')
    .argument('<name>')
    .action(async (name: string, options: WhereOptions) => {
      await withIdentityClient(options, (client) => client.call('DeleteUser', { UserName: name }))
      process.stdout.write(`deleted user ${name}\n`)
    })
}

/** The whole of standard input minus one trailing newline (as `echo` and `printf '%s\n'` add). */
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buffer.length
    if (size > MAX_STDIN_BYTES) throw new CliError('standard input is too long for a password')
    chunks.push(buffer)
  }
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
  if (password === '') throw new CliError('no password on standard input')
  return password
}
