import 'server-only';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import type { ShareLinkKind } from '../db/schema-share-links';
import { randomPseudonym } from './pseudonym';

// Share links (docs/security-tests.md part F): a token of 256 random bits (crypto.randomBytes,
// base64url) that only its holder knows — Kinetic keeps its SHA-256 — with an optional expiry,
// revocable at once. Every owner-side read and write is scoped to the owner: another owner's link
// or car answers like a missing one. Opening a link (resolveShareLink) changes nothing.

export const TOKEN_BYTES = 32;
/** The default lifetime of a link (PV-02's default); owners may pick another or none. */
export const DEFAULT_EXPIRY_DAYS = 30;
export const EXPIRY_CHOICES_DAYS = [1, 7, 30, 365] as const;
/** How many live links one car may have at once: enough for every circle, not a spray. */
export const MAX_ACTIVE_LINKS_PER_VEHICLE = 20;

const DAY_MS = 86_400_000;

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** The token format: 43 base64url characters (32 bytes). Anything else is not one of ours. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type ShareLinkSummary = {
  id: string;
  kind: ShareLinkKind;
  /** The board a `leaderboard` link opens (lib/leaderboards/board-ref.ts); null for a score card. */
  board: string | null;
  pseudonym: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  status: 'active' | 'expired' | 'revoked';
};

export type CreatedShareLink = ShareLinkSummary & { token: string };

const statusOf = (row: { expires_at: number | null; revoked_at: number | null }, now: number) =>
  row.revoked_at !== null
    ? 'revoked'
    : row.expires_at !== null && row.expires_at <= now
      ? 'expired'
      : 'active';

export class ShareLinkLimitError extends Error {}

/** 256 random bits from the operating system's CSPRNG, base64url (43 characters). */
export const newShareToken = () => randomBytes(TOKEN_BYTES).toString('base64url');

/**
 * A new link to the owner's car's score card, or with `board` to a leaderboard the car is on; null
 * when the car is not the owner's. `expiresInDays` null makes a link that does not expire.
 */
export async function createShareLink(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  options: { expiresInDays: number | null; board?: string; now?: number },
): Promise<CreatedShareLink | null> {
  const vehicle = await getVehicle(db, ownerId, vehicleId);
  if (!vehicle) return null;
  const now = options.now ?? Date.now();
  const active = (await listShareLinks(db, ownerId, vehicle.id, now)).filter(
    (link) => link.status === 'active',
  );
  if (active.length >= MAX_ACTIVE_LINKS_PER_VEHICLE) throw new ShareLinkLimitError();
  const token = newShareToken();
  const row = {
    id: randomUUID(),
    owner_id: ownerId,
    vehicle_id: vehicle.id,
    kind: options.board === undefined ? 'score_card' : 'leaderboard',
    board: options.board ?? null,
    token_hash: hashToken(token),
    pseudonym: randomPseudonym(),
    created_at: now,
    expires_at: options.expiresInDays === null ? null : now + options.expiresInDays * DAY_MS,
    revoked_at: null,
  } as const;
  await db.insertInto('share_links').values(row).execute();
  return {
    id: row.id,
    kind: row.kind,
    board: row.board,
    pseudonym: row.pseudonym,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: null,
    status: 'active',
    token,
  };
}

/** The owner's links to one car, newest first (the tokens are not known any more). */
export async function listShareLinks(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  now = Date.now(),
): Promise<ShareLinkSummary[]> {
  const rows = await db
    .selectFrom('share_links')
    .select(['id', 'kind', 'board', 'pseudonym', 'created_at', 'expires_at', 'revoked_at'])
    .where('owner_id', '=', ownerId)
    .where('vehicle_id', '=', vehicleId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => {
    const expiresAt = row.expires_at === null ? null : Number(row.expires_at);
    const revokedAt = row.revoked_at === null ? null : Number(row.revoked_at);
    return {
      id: row.id,
      kind: row.kind,
      board: row.board,
      pseudonym: row.pseudonym,
      createdAt: Number(row.created_at),
      expiresAt,
      revokedAt,
      status: statusOf({ expires_at: expiresAt, revoked_at: revokedAt }, now),
    };
  });
}

/** Revokes the owner's link; false when it is missing, another owner's or already revoked. */
export async function revokeShareLink(
  db: Kysely<Database>,
  ownerId: string,
  linkId: string,
  now = Date.now(),
  options: { vehicleId?: string } = {},
): Promise<boolean> {
  let update = db
    .updateTable('share_links')
    .set({ revoked_at: now })
    .where('id', '=', linkId)
    .where('owner_id', '=', ownerId)
    .where('revoked_at', 'is', null);
  if (options.vehicleId !== undefined) update = update.where('vehicle_id', '=', options.vehicleId);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export type ResolvedShareLink = {
  vehicleId: string;
  pseudonym: string;
  kind: ShareLinkKind;
  board: string | null;
};

/** What a live token opens; null for a malformed, unknown, revoked or expired one alike. Read-only. */
export async function resolveShareLink(
  db: Kysely<Database>,
  token: string,
  now = Date.now(),
): Promise<ResolvedShareLink | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await db
    .selectFrom('share_links')
    .select(['vehicle_id', 'pseudonym', 'kind', 'board', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  const expiresAt = row.expires_at === null ? null : Number(row.expires_at);
  if (row.revoked_at !== null || (expiresAt !== null && expiresAt <= now)) return null;
  return { vehicleId: row.vehicle_id, pseudonym: row.pseudonym, kind: row.kind, board: row.board };
}
