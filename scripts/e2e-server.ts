import fs from 'node:fs';
import path from 'node:path';

// One app instance for the Playwright suite: a fresh data folder every run, then the same
// supervisor `npm start` uses (so the suite tests what users run).
const dataDir = process.env.KINETIC_DATA_DIR;
if (!dataDir || !path.resolve(dataDir).includes(`${path.sep}.reports${path.sep}`)) {
  throw new Error('e2e-server: KINETIC_DATA_DIR must point inside .reports/ (it is wiped on start).');
}
fs.rmSync(dataDir, { recursive: true, force: true });
await import('./start');
