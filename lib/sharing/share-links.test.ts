import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { ownerWithTrips, scoreAndRank } from '@/test/scoring-fixtures';
import { PUBLIC_SCORE_CARD_FIELDS, publicScoreCard } from './score-card';
import {
  createShareLink,
  hashToken,
  listShareLinks,
  MAX_ACTIVE_LINKS_PER_VEHICLE,
  newShareToken,
  resolveShareLink,
  revokeShareLink,
  ShareLinkLimitError,
  TOKEN_PATTERN,
} from './share-links';

// Share links (docs/security-tests.md part F) on both engines: unguessable tokens stored only as a
// hash, revocation and expiry at once, one 404 for every dead token, owner-scoped writes, reads
// that change nothing, and a public card that carries the allow-list and nothing else.

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 6, 15, 12);

describe('share tokens', () => {
  it('are 256 random bits in base64url, all different (PV-01)', () => {
    const tokens = Array.from({ length: 10_000 }, newShareToken);
    expect(new Set(tokens).size).toBe(10_000);
    for (const token of tokens) expect(token).toMatch(TOKEN_PATTERN);
    expect(Buffer.from(tokens[0] as string, 'base64url')).toHaveLength(32);
  });
});

describe.each(ENGINES)('share links on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('keeps only the token’s hash, opens the car’s card, and dies at revocation or expiry', async () => {
    const { db } = database();
    const { owner, vehicle } = await ownerWithTrips(db, `share-${engine}@example.com`, {
      trips: 8,
      rough: false,
      firstMs: NOW - 5 * DAY,
    });
    await scoreAndRank(db, NOW);
    const month = await createShareLink(db, owner.id, vehicle.id, { expiresInDays: 30, now: NOW });
    const forever = await createShareLink(db, owner.id, vehicle.id, { expiresInDays: null, now: NOW });
    if (!month || !forever) throw new Error('the owner’s car should take links');

    // Only the hash is stored: no column of any row holds the token.
    const rows = await db.selectFrom('share_links').selectAll().execute();
    expect(rows.map((row) => row.token_hash).sort()).toEqual(
      [hashToken(month.token), hashToken(forever.token)].sort(),
    );
    expect(JSON.stringify(rows)).not.toContain(month.token);
    // Each link has its own pseudonym.
    expect(month.pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);

    expect(await resolveShareLink(db, month.token, NOW)).toEqual({
      vehicleId: vehicle.id,
      pseudonym: month.pseudonym,
      kind: 'score_card',
      board: null,
    });
    // Expiry (PV-02): the 30-day link is dead after 30 days, the other is not.
    expect(await resolveShareLink(db, month.token, NOW + 30 * DAY)).toBeNull();
    expect(await resolveShareLink(db, forever.token, NOW + 400 * DAY)).not.toBeNull();

    // Revoking one link leaves the other working.
    expect(await revokeShareLink(db, owner.id, month.id, NOW + DAY)).toBe(true);
    expect(await resolveShareLink(db, month.token, NOW + DAY)).toBeNull();
    expect(await resolveShareLink(db, forever.token, NOW + DAY)).not.toBeNull();
    expect(await revokeShareLink(db, owner.id, month.id, NOW + DAY)).toBe(false);
    expect(
      (await listShareLinks(db, owner.id, vehicle.id, NOW + DAY)).map((link) => link.status).sort(),
    ).toEqual(['active', 'revoked']);
  });

  it('answers malformed, unknown, revoked and expired tokens alike, and changes nothing when read (PV-03, PV-05)', async () => {
    const { db } = database();
    const { owner, vehicle } = await ownerWithTrips(db, `dead-${engine}@example.com`, {
      trips: 1,
      rough: false,
      firstMs: NOW - DAY,
    });
    const link = await createShareLink(db, owner.id, vehicle.id, { expiresInDays: 1, now: NOW });
    const revoked = await createShareLink(db, owner.id, vehicle.id, { expiresInDays: null, now: NOW });
    if (!link || !revoked) throw new Error('links expected');
    await revokeShareLink(db, owner.id, revoked.id, NOW);
    const before = await db.selectFrom('share_links').selectAll().orderBy('id').execute();
    const dead = [
      'short',
      `${link.token}x`,
      newShareToken(),
      revoked.token,
      // Expired a second after its day.
    ];
    for (const token of dead) expect(await publicScoreCard(db, token, NOW)).toBeNull();
    expect(await publicScoreCard(db, link.token, NOW + DAY + 1000)).toBeNull();
    for (let i = 0; i < 100; i++) await publicScoreCard(db, link.token, NOW);
    expect(await db.selectFrom('share_links').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it('lets no one but the owner make, list or revoke a car’s links', async () => {
    const { db } = database();
    const mine = await ownerWithTrips(db, `mine-${engine}@example.com`, {
      trips: 1,
      rough: false,
      firstMs: NOW - DAY,
    });
    const theirs = await ownerWithTrips(db, `theirs-${engine}@example.com`, {
      trips: 1,
      rough: false,
      firstMs: NOW - DAY,
    });
    expect(
      await createShareLink(db, mine.owner.id, theirs.vehicle.id, { expiresInDays: 7, now: NOW }),
    ).toBeNull();
    const theirLink = await createShareLink(db, theirs.owner.id, theirs.vehicle.id, {
      expiresInDays: 7,
      now: NOW,
    });
    if (!theirLink) throw new Error('their link expected');
    expect(await revokeShareLink(db, mine.owner.id, theirLink.id, NOW)).toBe(false);
    expect(await resolveShareLink(db, theirLink.token, NOW)).not.toBeNull();
    expect(await listShareLinks(db, mine.owner.id, theirs.vehicle.id, NOW)).toEqual([]);
  });

  it('caps the live links of one car', async () => {
    const { db } = database();
    const { owner, vehicle } = await ownerWithTrips(db, `many-${engine}@example.com`, {
      trips: 0,
      rough: false,
      firstMs: NOW,
    });
    for (let i = 0; i < MAX_ACTIVE_LINKS_PER_VEHICLE; i++)
      await createShareLink(db, owner.id, vehicle.id, { expiresInDays: 7, now: NOW });
    await expect(
      createShareLink(db, owner.id, vehicle.id, { expiresInDays: 7, now: NOW }),
    ).rejects.toBeInstanceOf(ShareLinkLimitError);
  });

  it('shows the allow-list and nothing else on the public card (PV-06)', async () => {
    const { db } = database();
    const { owner, vehicle } = await ownerWithTrips(db, `card-${engine}@example.com`, {
      trips: 8,
      rough: false,
      firstMs: NOW - 5 * DAY,
    });
    await scoreAndRank(db, NOW);
    const link = await createShareLink(db, owner.id, vehicle.id, { expiresInDays: 7, now: NOW });
    const card = await publicScoreCard(db, link?.token ?? '', NOW);
    expect(Object.keys(card ?? {})).toEqual([...PUBLIC_SCORE_CARD_FIELDS]);
    expect(card).toMatchObject({
      pseudonym: link?.pseudonym,
      vehicle: { brand: 'peugeot', model: '208' },
      score: expect.any(Number),
      // The first test's car drove the same trips: a tie for first place in the group.
      ranking: { group: { powertrain: 'petrol', segment: 'B' }, rank: 1, percentile: 0, groupSize: 2 },
    });
    const text = JSON.stringify(card);
    for (const secret of [
      vehicle.vin,
      vehicle.id,
      owner.id,
      owner.email,
      'latitude',
      'longitude',
      'maxSpeed',
      'at',
    ])
      expect(text).not.toContain(`"${secret}"`);
    expect(text).not.toContain(vehicle.vin);
  });
});
