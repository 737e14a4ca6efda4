import 'server-only';
import type { Kysely } from 'kysely';
import { NextResponse } from 'next/server';
import type { CurrentUser } from '../auth';
import { clearRateLimit, hitRateLimit } from '../db/queries/rate-limits';
import { releaseStandings } from '../db/queries/standings';
import { getUserById, normalizeEmail, updateUserProfile } from '../db/queries/users';
import type { Database, UserRow } from '../db/schema';
import { AppError } from '../errors';
import { jsonResponse, readJson, searchParamsOf } from '../route-handler';
import {
  type AccountDto,
  accountDeleteSchema,
  accountUpdateSchema,
  DELETE_CONFIRMATION_WORD,
  exportQuerySchema,
} from '../schemas/account';
import { exportChunks, exportFileName, toReadableStream } from './export/export';
import { isHttps, preferenceCookieOptions, writePreferenceCookies } from './preference-cookies';
import { preferencesOfRow, updateUserPreferences } from './preferences';

// The account routes' work (app/api/account/**), kept here so tests drive it with real requests on
// both engines: read and change the profile and preferences, export everything, delete everything.

export type Owner = Pick<CurrentUser, 'userId' | 'email' | 'isDemo'>;

export function toAccountDto(row: UserRow): AccountDto {
  const preferences = preferencesOfRow(row);
  return {
    email: row.email,
    name: row.name,
    timeZone: preferences.timeZone,
    locale: preferences.locale,
    units: preferences.units,
    isDemo: row.is_demo === 1,
  };
}

export async function readAccount(db: Kysely<Database>, userId: string): Promise<AccountDto> {
  const row = await getUserById(db, userId);
  if (!row) throw new AppError('not_found');
  return toAccountDto(row);
}

/**
 * PATCH /api/account: name, time zone, language and units. A changed language or zone also
 * rewrites its cookie, which is what the next render reads (lib/i18n/request.ts).
 */
export async function patchAccount(db: Kysely<Database>, owner: Owner, request: Request): Promise<Response> {
  const changes = await readJson(request, accountUpdateSchema);
  if (changes.name !== undefined) {
    if (!(await updateUserProfile(db, owner.userId, { name: changes.name }))) throw new AppError('not_found');
  }
  const { name: _name, ...preferences } = changes;
  if (Object.keys(preferences).length > 0) {
    if (!(await updateUserPreferences(db, owner.userId, preferences))) throw new AppError('not_found');
  }
  const account = await readAccount(db, owner.userId);
  const response = jsonResponse({ account });
  writePreferenceCookies(
    response.cookies,
    {
      ...(changes.locale !== undefined ? { locale: account.locale } : {}),
      ...(changes.timeZone !== undefined ? { timeZone: account.timeZone } : {}),
    },
    preferenceCookieOptions(isHttps(request)),
  );
  return response;
}

export const EXPORT_LIMIT = { count: 5, windowMs: 60 * 60 * 1000 } as const;
const exportLimitKey = (userId: string) => `account-export:${userId}`;

/** GET /api/account/export?format=json|csv: everything of the owner's, streamed. */
export async function exportAccount(
  db: Kysely<Database>,
  owner: Owner,
  request: Request,
  options: { pageSize?: number; now?: Date } = {},
): Promise<Response> {
  const { format } = exportQuerySchema.parse(searchParamsOf(request));
  const now = options.now ?? new Date();
  const limit = await hitRateLimit(db, exportLimitKey(owner.userId), EXPORT_LIMIT.windowMs, now.getTime());
  if (limit.count > EXPORT_LIMIT.count) {
    throw new AppError('rate_limited', 'You can export your data 5 times an hour. Try again later.', {
      retryAfterS: limit.retryAfterS,
    });
  }
  const body = toReadableStream(exportChunks(db, owner.userId, format, { ...options, now }));
  return new NextResponse(body, {
    status: 200,
    headers: {
      'Content-Type': format === 'json' ? 'application/json; charset=utf-8' : 'application/zip',
      'Content-Disposition': `attachment; filename="${exportFileName(format, now)}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** Revokes one car account's maker grant (lib/car-accounts/disconnect.ts in the app). */
export type RevokeCarAccount = (accountId: string) => Promise<void>;

export const DEMO_DELETE_REFUSED =
  'The demo account is shared by every visitor, so it cannot be deleted. Create your own account to try this.';

/**
 * Deletes the owner and everything they own. Each car account is disconnected first (its maker
 * grant revoked, best effort: an unreachable maker must not keep an owner from leaving), then the
 * user row goes and the foreign keys' ON DELETE CASCADE take sessions, vehicles and all their data.
 */
export async function deleteOwnerAccount(
  db: Kysely<Database>,
  owner: Owner,
  confirm: string,
  revoke: RevokeCarAccount,
): Promise<{ revokeFailures: number }> {
  if (owner.isDemo) throw new AppError('forbidden', DEMO_DELETE_REFUSED);
  const typed = confirm.trim();
  if (typed !== DELETE_CONFIRMATION_WORD && normalizeEmail(typed) !== normalizeEmail(owner.email)) {
    throw new AppError('bad_request', `confirm: type your e-mail address or ${DELETE_CONFIRMATION_WORD}.`);
  }
  const accounts = await db
    .selectFrom('car_accounts')
    .select('id')
    .where('user_id', '=', owner.userId)
    .where('status', '<>', 'disconnected')
    .execute();
  let revokeFailures = 0;
  for (const account of accounts) {
    try {
      await revoke(account.id);
    } catch (error) {
      revokeFailures++;
      console.warn('[account] could not disconnect a car account before deletion', {
        accountId: account.id,
        reason: error instanceof Error ? error.message : 'unknown',
      });
    }
  }
  await db.transaction().execute(async (trx) => {
    await releaseStandings(trx, { ownerId: owner.userId });
    await trx.deleteFrom('sessions').where('user_id', '=', owner.userId).execute();
    await trx.deleteFrom('users').where('id', '=', owner.userId).execute();
  });
  await clearRateLimit(db, exportLimitKey(owner.userId));
  return { revokeFailures };
}

const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/** DELETE /api/account: `{ confirm }`, then everything goes and this browser's session cookie too. */
export async function deleteAccountRoute(
  db: Kysely<Database>,
  owner: Owner,
  request: Request,
  revoke: RevokeCarAccount,
): Promise<Response> {
  if (owner.isDemo) throw new AppError('forbidden', DEMO_DELETE_REFUSED);
  const { confirm } = await readJson(request, accountDeleteSchema);
  await deleteOwnerAccount(db, owner, confirm, revoke);
  const response = jsonResponse({ deleted: true });
  const names = (request.headers.get('cookie') ?? '')
    .split(';')
    .map((part) => part.split('=')[0]?.trim() ?? '')
    .filter((name) => SESSION_COOKIE.test(name));
  // The session row is gone already; expiring the cookie just tidies this browser up. A __Secure-
  // cookie is only replaced by a Secure one.
  for (const name of names) {
    response.cookies.set(name, '', {
      path: '/',
      maxAge: 0,
      httpOnly: true,
      sameSite: 'lax',
      secure: name.startsWith('__Secure-'),
    });
  }
  return response;
}
