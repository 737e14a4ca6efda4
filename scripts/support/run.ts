import { spawn } from 'node:child_process';

export type RunResult = { code: number; seconds: number };

export type RunOptions = { env?: NodeJS.ProcessEnv; cwd?: string };

// Process groups of running commands, so a signal can take down grandchildren too (e.g. next-server,
// which otherwise keeps its port after its parent dies).
const groups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export function killRunningCommands(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const pid of groups) killGroup(pid, signal);
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  return new Promise((resolve) => {
    // Own process group (detached) so leftovers can be killed as a whole; stdin is ignored because a
    // background group reading the terminal would be stopped by SIGTTIN.
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    const pid = child.pid;
    if (pid !== undefined) groups.add(pid);
    child.on('error', (error) => {
      console.error(`Could not run ${command}: ${error.message}`);
      if (pid !== undefined) groups.delete(pid);
      resolve({ code: 127, seconds: seconds() });
    });
    child.on('close', (code, signal) => {
      if (pid !== undefined) {
        groups.delete(pid);
        killGroup(pid, 'SIGKILL');
      }
      resolve({ code: code ?? (signal ? 128 : 1), seconds: seconds() });
    });
  });
}
