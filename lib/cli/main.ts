import 'server-only';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client';
import { migrateToLatest } from '../db/migrate';
import { resetDemo } from '../demo/demo-owner';
import type { Env } from '../env-schema';
import { deriveImportedTrips } from '../import/import-trips';
import { dbCopyCommand } from './db-commands';
import { CommandError, type CommandResult, UsageError } from './output';
import { scoresCommand } from './score-commands';
import { userCreate, userDisable, userResetPassword } from './user-commands';
import { importCommand, tripsCommand } from './vehicle-data-commands';

export const USAGE = `Usage: npm run -s kinetic -- <command> [options] [--json]

Commands:
  user create --email <e> --password <p> [--name <n>]   create a local account
  user reset-password --email <e> --password <p>        set a new password, sign out its sessions
  user disable --email <e>                              block an account and sign out its sessions
  demo reset                                            restore the demo world
  import <file> --owner <email> [--vehicle <label>] [--make <m>] [--model <m>]
         [--fuel petrol|diesel|hybrid|electric] [--format auto|torque|csv]
         [--map <column>=<field>,…] [--tz <zone>] [--date YYYY-MM-DD]
                                                        import an OBD-II log (CSV) into a car
  trips --owner <email> [--vehicle <label>] [--from <ISO>] [--to <ISO>]
                                                        list an owner's trips
  scores --owner <email> [--vehicle <label>]            trip scores and the last 30 days' rank
  db copy --to <postgres url>                           move the embedded database to PostgreSQL
`;

type Io = { stdout: (text: string) => void; stderr: (text: string) => void };

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  email: { type: 'string' },
  password: { type: 'string' },
  name: { type: 'string' },
  owner: { type: 'string' },
  vehicle: { type: 'string' },
  make: { type: 'string' },
  model: { type: 'string' },
  fuel: { type: 'string' },
  format: { type: 'string' },
  map: { type: 'string' },
  tz: { type: 'string' },
  date: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
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

  // `import` takes the file as its one argument; the other commands are their words.
  const command = positionals[0] === 'import' ? 'import' : positionals.join(' ');
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
      case 'import':
        if (positionals.length > 2) throw new UsageError('import reads one file at a time.');
        result = await importCommand(handle.db, positionals[1], values, deriveImportedTrips);
        break;
      case 'trips':
        result = await tripsCommand(handle.db, values);
        break;
      case 'scores':
        result = await scoresCommand(handle.db, values);
        break;
      case 'db copy':
        result = await dbCopyCommand(handle.db, env, values, (line) => io.stderr(`${line}\n`));
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
