import nextEnv from '@next/env';

/**
 * Loads the project's .env files the way `next start` (production) or `next dev` does, so that
 * scripts and the CLI see exactly the configuration the app sees. Call before importing lib/env.
 */
export function loadProjectEnv(mode: 'production' | 'development' = 'production'): void {
  nextEnv.loadEnvConfig(process.cwd(), mode === 'development', { info: () => {}, error: console.error });
}
