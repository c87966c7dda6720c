// Help texts shared by every command, in a module that imports nothing, so that loading a
// command's definition does not load the store or the HTTP client.

/** Help text for the `--data-dir` option, the same on every command. */
export const DATA_DIR_OPTION_HELP =
  'local store: SQLite file and key (env REDIS_SESSIONS_DATA_DIR, default ./data)'

/** Help text for the `--endpoint` option, the same on every command. */
export const ENDPOINT_OPTION_HELP =
  'act on the server at URL (env REDIS_SESSIONS_ENDPOINT), signed with ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET'
