import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import type { APIRequestContext, Page } from '@playwright/test';
import SQLite from 'better-sqlite3';
import { APP_URL, dataDirFor, REPO_ROOT } from './servers';

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(tag: string): string {
  return `${tag}-${randomUUID().slice(0, 8)}@example.test`;
}

/** Runs the self-hoster's CLI against a test instance's database and returns its JSON answer. */
export function runCli(args: string[], baseUrl = APP_URL): unknown {
  const stdout = execFileSync(
    'node_modules/.bin/tsx',
    ['--conditions=react-server', 'scripts/kinetic.ts', ...args, '--json'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, KINETIC_DATA_DIR: dataDirFor(baseUrl) },
      stdio: 'pipe',
    },
  );
  return JSON.parse(stdout.toString('utf8'));
}

/** The test instance's SQLite file, for fixtures written at the database edge. */
export function openDatabase(baseUrl: string): SQLite.Database {
  const db = new SQLite(path.join(dataDirFor(baseUrl), 'kinetic.db'));
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Creates an account by writing its row (with a real argon2id hash) straight into the test
 * instance's database: the same row the CLI or sign-up would write, without paying a CLI start-up
 * per test. The CLI itself is exercised by its unit tests and by `runCli` below.
 */
export async function createUser(email: string, options: { password?: string; baseUrl?: string } = {}) {
  const passwordHash = await hash(options.password ?? PASSWORD);
  const db = openDatabase(options.baseUrl ?? APP_URL);
  try {
    const now = Date.now();
    db.prepare(
      'insert into users (id, email, name, password_hash, is_demo, time_zone, disabled_at, created_at, updated_at) values (?, ?, null, ?, 0, null, null, ?, ?)',
    ).run(randomUUID(), email.toLowerCase(), passwordHash, now, now);
  } finally {
    db.close();
  }
}

/** Signs in through next-auth's own endpoints; the session cookie lands in the request context. */
export async function apiSignIn(
  request: APIRequestContext,
  email: string,
  password = PASSWORD,
): Promise<void> {
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const response = await request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email, password, callbackUrl: '/' },
    maxRedirects: 0,
  });
  if (response.status() !== 302) throw new Error(`sign-in answered ${response.status()}`);
  const location = response.headers().location ?? '';
  if (location.includes('error=')) throw new Error(`sign-in refused: ${location}`);
}

export async function uiSignIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

export async function uiSignUp(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** The id of the owner signed up with `email` (any letter case); throws when there is none. */
export function ownerIdOf(db: SQLite.Database, email: string): string {
  const owner = db.prepare('select id from users where email = ?').get(email.toLowerCase()) as
    | { id: string }
    | undefined;
  if (!owner) throw new Error(`no such owner ${email}`);
  return owner.id;
}

/**
 * Gives an owner a vehicle by writing the row directly: cars arrive through the ingest worker in
 * a later issue, and this fixture stands in for it at the database edge.
 */
export function insertVehicle(
  ownerEmail: string,
  vehicle: { label: string; vin: string; createdAt?: number },
  baseUrl = APP_URL,
): string {
  const db = openDatabase(baseUrl);
  try {
    const ownerId = ownerIdOf(db, ownerEmail);
    const id = randomUUID();
    db.prepare(
      'insert into vehicles (id, user_id, label, brand, model, powertrain, vin, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      id,
      ownerId,
      vehicle.label,
      'Peugeot',
      '208',
      'petrol',
      vehicle.vin,
      vehicle.createdAt ?? Date.now(),
    );
    return id;
  } finally {
    db.close();
  }
}
