import { spawnSync } from 'node:child_process';
import { sourceHash, writeBuildStamp } from './support/build-hash';

// `next build`, then a stamp of the sources it was built from so `npm start` can skip the build
// when nothing changed.
const root = process.cwd();
const hash = sourceHash(root);
const result = spawnSync('node_modules/.bin/next', ['build'], {
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeBuildStamp(root, hash);
