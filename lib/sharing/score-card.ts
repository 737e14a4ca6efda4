import 'server-only';
import type { Kysely } from 'kysely';
import { standingOf } from '../db/queries/driver-standing';
import type { Database } from '../db/schema';
import { type ComponentScores, SCORE_COMPONENTS } from '../scoring/trip-score';
import { resolveShareLink } from './share-links';

// What a shared score card shows to anyone holding the link — an allow-list, built field by field
// (docs/security-tests.md PV-06): the link's pseudonym, the car's make and model, the last 30
// days' score and components, and its rank and percentile in its peer group. Never a VIN, a
// position, a time finer than "the last 30 days", a top speed or any id.

export type PublicScoreCard = {
  pseudonym: string;
  vehicle: { brand: string; model: string };
  /** Whole points, 0–100; null while the car has no rated trip in 30 days. */
  score: number | null;
  components: ComponentScores;
  ranking: {
    group: { powertrain: string; segment: string };
    /** Null while the car is not ranked (too little driving in 30 days). */
    rank: number | null;
    percentile: number | null;
    groupSize: number | null;
  };
};

/** The fields a shared card may carry, in order: the allow-list tests compare against it. */
export const PUBLIC_SCORE_CARD_FIELDS = ['pseudonym', 'vehicle', 'score', 'components', 'ranking'] as const;

const whole = (value: number | null) => (value === null ? null : Math.round(value));

/** The card behind a live token; null for a malformed, unknown, revoked or expired one alike. */
export async function publicScoreCard(
  db: Kysely<Database>,
  token: string,
  now = Date.now(),
): Promise<PublicScoreCard | null> {
  const link = await resolveShareLink(db, token, now);
  if (link?.kind !== 'score_card') return null;
  const vehicle = await db
    .selectFrom('vehicles')
    .select(['id', 'brand', 'model', 'powertrain'])
    .where('id', '=', link.vehicleId)
    .executeTakeFirst();
  if (!vehicle) return null;
  const standing = await standingOf(db, vehicle, now);
  return {
    pseudonym: link.pseudonym,
    vehicle: { brand: vehicle.brand, model: vehicle.model },
    score: whole(standing.period.score),
    components: Object.fromEntries(
      SCORE_COMPONENTS.map((name) => [name, whole(standing.period.components[name])]),
    ) as ComponentScores,
    ranking: {
      group: { powertrain: standing.group.powertrain, segment: standing.group.segment },
      rank: standing.rank,
      percentile: whole(standing.percentile),
      groupSize: standing.groupSize,
    },
  };
}
