import type { getFormatter, getTranslations } from 'next-intl/server';
import type { Availability } from '@/lib/schemas/glance';
import type { UnitPreferences } from '@/lib/units/preferences';

// What every glance card needs to word and format its value, fetched once by the page and handed
// down, so the cards stay plain synchronous Server Components.

export type GlanceTranslator = Awaited<ReturnType<typeof getTranslations<'glance'>>>;
export type GlanceFormatter = Awaited<ReturnType<typeof getFormatter>>;

export type GlanceContext = {
  t: GlanceTranslator;
  format: GlanceFormatter;
  locale: string;
  /** The instant the page was computed at (epoch ms): "3 h ago" counts from it. */
  now: number;
  units: UnitPreferences;
};

/** Short date and time in the owner's zone (the formatter's request config carries it). */
export const shortDateTime = (ctx: GlanceContext, at: number) =>
  ctx.format.dateTime(at, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * How fresh a value is, in words: "updated 3 hours ago", "no data since 12 Mar, 08:15", or
 * "<metric> not available for this car".
 */
export function freshnessText(
  ctx: GlanceContext,
  availability: Availability,
  measuredAt: number | null,
  metric: string,
): string {
  if (availability === 'not_provided' || measuredAt === null) {
    return ctx.t('freshness.notAvailable', { metric });
  }
  if (availability === 'stale') return ctx.t('freshness.stale', { date: shortDateTime(ctx, measuredAt) });
  return ctx.t('freshness.updated', { ago: ctx.format.relativeTime(measuredAt, ctx.now) });
}
