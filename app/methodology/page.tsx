import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CALM_FROM, DYNAMIC_BELOW } from '@/components/scores/score-band';
import { Logo } from '@/components/ui/logo';
import { MIN_RANKED_KM, MIN_RANKED_TRIPS } from '@/lib/db/queries/standings';
import { REFERENCE_MIN_TRIPS } from '@/lib/db/queries/trip-scores';
import { MIN_PUBLISHED_PARTICIPANTS } from '@/lib/leaderboards/board-ref';
import { MOVING_SPEED_KMH } from '@/lib/scoring/acceleration-summary';
import { HARSH_MS2, SEVERE_MS2, SUSTAIN_MS } from '@/lib/scoring/events';
import {
  FIRM_BRAKING_MS2,
  FREE_IDLE_MS,
  HASTY_WINDOW_MS,
  SPEED_UP_MIN_MS,
  SPEED_UP_MS2,
  VERY_HIGH_SPEED_KMH,
} from '@/lib/scoring/features';
import { MAX_GAP_MS } from '@/lib/scoring/resample';
import {
  ACCELERATION_P95_RAMP,
  COMPONENT_WEIGHTS,
  CONSUMPTION_RATIO_RAMP,
  DECELERATION_P95_RAMP,
  ENGINE_LIMIT_RPM,
  EVENTS_SHARE,
  MAX_PLAUSIBLE_ACCELERATION_MS2,
  MAX_PLAUSIBLE_SPEED_KMH,
  MIN_RATED_DISTANCE_KM,
  MIN_RATED_MOVING_S,
  POINTS_PER_EVENT_PER_100KM,
  POINTS_PER_IDLE_MINUTE_PER_HOUR,
  POINTS_PER_PERCENT_HIGH_RPM,
  POINTS_PER_PERCENT_VERY_HIGH_SPEED,
} from '@/lib/scoring/trip-score';

// The public methodology: every formula and threshold of the driving score in plain words, with
// the numbers taken from the code's own constants so the page cannot drift from the rules.
// Readable without an account (proxy.ts lists it as public).

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('methodology');
  return { title: t('title'), description: t('intro') };
}

export default async function MethodologyPage() {
  const [t, format] = await Promise.all([getTranslations('methodology'), getFormatter()]);
  // Numbers in the reader's locale: one decimal for accelerations, whole numbers elsewhere.
  const one = (value: number) => format.number(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const whole = (value: number) => format.number(value, { maximumFractionDigits: 0 });
  const percent = (ratio: number) => whole(ratio * 100);
  const sections: Array<{ id: string; heading: string; paragraphs: string[] }> = [
    {
      id: 'readings',
      heading: t('readings.heading'),
      paragraphs: [
        t('readings.body', { gapS: whole(MAX_GAP_MS / 1000), movingKmh: whole(MOVING_SPEED_KMH) }),
      ],
    },
    {
      id: 'events',
      heading: t('events.heading'),
      paragraphs: [
        t('events.body', {
          harsh: one(HARSH_MS2),
          severe: one(SEVERE_MS2),
          sustainS: SUSTAIN_MS / 1000,
        }),
      ],
    },
    {
      id: 'components',
      heading: t('components.heading'),
      paragraphs: [
        t('components.smoothness', {
          eventsShare: percent(EVENTS_SHARE),
          profileShare: percent(1 - EVENTS_SHARE),
          perEvent: whole(POINTS_PER_EVENT_PER_100KM),
          accGood: one(ACCELERATION_P95_RAMP[0]),
          accBad: one(ACCELERATION_P95_RAMP[1]),
          decGood: one(DECELERATION_P95_RAMP[0]),
          decBad: one(DECELERATION_P95_RAMP[1]),
        }),
        t('components.speed', {
          points: whole(POINTS_PER_PERCENT_VERY_HIGH_SPEED),
          limitKmh: whole(VERY_HIGH_SPEED_KMH),
        }),
        t('components.engine', {
          points: whole(POINTS_PER_PERCENT_HIGH_RPM),
          petrolRpm: whole(ENGINE_LIMIT_RPM.petrol),
          dieselRpm: whole(ENGINE_LIMIT_RPM.diesel),
        }),
        t('components.idling', {
          points: whole(POINTS_PER_IDLE_MINUTE_PER_HOUR),
          freeMin: whole(FREE_IDLE_MS / 60_000),
        }),
        t('components.anticipation', {
          upS: whole(SPEED_UP_MIN_MS / 1000),
          upMs2: one(SPEED_UP_MS2),
          windowS: whole(HASTY_WINDOW_MS / 1000),
          brakeMs2: one(FIRM_BRAKING_MS2),
        }),
        t('components.consumption', {
          minTrips: whole(REFERENCE_MIN_TRIPS),
          good: percent(CONSUMPTION_RATIO_RAMP[0]),
          half: percent((CONSUMPTION_RATIO_RAMP[0] + CONSUMPTION_RATIO_RAMP[1]) / 2),
          bad: percent(CONSUMPTION_RATIO_RAMP[1]),
        }),
      ],
    },
    {
      id: 'score',
      heading: t('weights.heading'),
      paragraphs: [
        t('weights.body', {
          ...Object.fromEntries(
            Object.entries(COMPONENT_WEIGHTS).map(([name, weight]) => [name, whole(weight)]),
          ),
          calm: whole(CALM_FROM),
          dynamic: whole(DYNAMIC_BELOW),
        }),
      ],
    },
    {
      id: 'not-rated',
      heading: t('notRated.heading'),
      paragraphs: [
        t('notRated.body', {
          minKm: whole(MIN_RATED_DISTANCE_KM),
          minMovingMin: whole(MIN_RATED_MOVING_S / 60),
          maxKmh: whole(MAX_PLAUSIBLE_SPEED_KMH),
          maxMs2: whole(MAX_PLAUSIBLE_ACCELERATION_MS2),
        }),
      ],
    },
    {
      id: 'ranking',
      heading: t('ranking.heading'),
      paragraphs: [t('ranking.body', { minKm: whole(MIN_RANKED_KM), minTrips: whole(MIN_RANKED_TRIPS) })],
    },
    {
      id: 'leaderboards',
      heading: t('leaderboards.heading'),
      paragraphs: [t('leaderboards.body', { min: MIN_PUBLISHED_PARTICIPANTS })],
    },
    {
      id: 'explanations',
      heading: t('explanation.heading'),
      paragraphs: [t('explanation.body', { limitKmh: whole(VERY_HIGH_SPEED_KMH) })],
    },
    { id: 'limits', heading: t('limits.heading'), paragraphs: [t('limits.body')] },
  ];

  return (
    <main id="main" className="mx-auto flex w-full max-w-2xl flex-col gap-8 px-4 py-10">
      <Link href="/" className="inline-flex min-h-11 items-center self-start" aria-label={t('back')}>
        <Logo />
      </Link>
      <div className="flex flex-col gap-3">
        <h1 className="font-semibold text-3xl tracking-tight">{t('title')}</h1>
        <p className="text-muted">{t('intro')}</p>
      </div>
      {sections.map((section) => (
        <section
          key={section.id}
          id={section.id}
          aria-labelledby={`${section.id}-heading`}
          className="flex flex-col gap-3"
        >
          <h2 id={`${section.id}-heading`} className="font-semibold text-xl tracking-tight">
            {section.heading}
          </h2>
          {section.paragraphs.map((paragraph) => (
            <p key={paragraph.slice(0, 40)} className="leading-relaxed">
              {paragraph}
            </p>
          ))}
        </section>
      ))}
      <Link
        href="/"
        className="inline-flex min-h-11 items-center self-start text-accent underline-offset-4 hover:underline"
      >
        {t('back')}
      </Link>
    </main>
  );
}
