import 'server-only';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client';
import { migrateToLatest } from '../db/migrate';
import { resetDemo } from '../demo/demo-owner';
import type { Env } from '../env-schema';
import { CommandError, type CommandResult, UsageError } from './output';
import { userCreate, userDisable, userResetPassword } from './user-commands';

export const USAGE = `Usage: npm run -s kinetic -- <command> [options] [--json]

Commands:
  user create --email <e> --password <p> [--name <n>]   create a local account
  user reset-password --email <e> --password <p>        set a new password, sign out its sessions
  user disable --email <e>                              block an account and sign out its sessions
  demo reset                                            restore the demo world
`;

type Io = { stdout: (text: string) => void; stderr: (text: string) => void };

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  email: { type: 'string' },
  password: { type: 'string' },
  name: { type: 'string' },
} as const;

/** Runs one CLI invocation and returns its exit code. */
export async function runCli(argv: string[], env: Env, io: Io): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    io.stderr(`${message}\n\n${USAGE}`);
    if (argv.includes('--json')) io.stdout(`${JSON.stringify({ error: { code: 'bad_usage', message } })}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  if (values.help || positionals.length === 0) {
    (values.help ? io.stdout : io.stderr)(USAGE);
    return values.help ? 0 : 2;
  }

  const command = positionals.join(' ');
  const handle = openDatabase(env);
  try {
    await migrateToLatest(handle.db);
    let result: CommandResult;
    switch (command) {
      case 'user create':
        result = await userCreate(handle.db, values);
        break;
      case 'user reset-password':
        result = await userResetPassword(handle.db, values);
        break;
      case 'user disable':
        result = await userDisable(handle.db, values);
        break;
      case 'demo reset': {
        const owner = await resetDemo(handle.db);
        result = { json: { ok: true, owner: owner.email }, text: `Demo world restored (${owner.email}).` };
        break;
      }
      default:
        throw new UsageError(`Unknown command: ${command}`);
    }
    if (json) io.stdout(`${JSON.stringify(result.json)}\n`);
    else io.stdout(`${result.text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}`);
      if (json) io.stdout(`${JSON.stringify({ error: { code: 'bad_usage', message: error.message } })}\n`);
      return 2;
    }
    const code = error instanceof CommandError ? error.code : 'internal';
    const message = error instanceof CommandError ? error.message : 'The command failed; see the log above.';
    if (!(error instanceof CommandError)) io.stderr(`${(error as Error)?.stack ?? String(error)}\n`);
    if (json) io.stdout(`${JSON.stringify({ error: { code, message } })}\n`);
    else io.stderr(`${message}\n`);
    return 1;
  } finally {
    await handle.close();
  }
}
