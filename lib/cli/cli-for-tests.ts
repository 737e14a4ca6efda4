import 'server-only';
import type { Env } from '../env-schema';
import { runCli } from './main';

// Test support: one CLI invocation with its output captured, against the configuration `env`.

export type CliRun = { code: number; stdout: string; stderr: string };

export async function runCliCaptured(argv: string[], env: Env): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, env, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}
