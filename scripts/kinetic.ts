import { loadProjectEnv } from './support/load-env';

// `npm run -s kinetic -- <command>`: same .env files and lib/env as the app, so the same database.
loadProjectEnv('production');
const { runCli } = await import('../lib/cli/main');
let code: number;
try {
  const { env } = await import('../lib/env');
  code = await runCli(process.argv.slice(2), env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  // Most likely a bad configuration value: its message names the variable.
  console.error((error as Error).message);
  code = 1;
}
process.exitCode = code;
