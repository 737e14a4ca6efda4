import { createFormatter, createTranslator } from 'next-intl';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { GlanceCards } from '@/components/glance/glance-cards';
import type { GlanceContext } from '@/components/glance/glance-context';
import { en } from '@/messages/en';
import { fr } from '@/messages/fr';
import type { GlanceDto } from '../schemas/glance';
import { METRIC_UNITS, type UnitPreferences } from '../units/preferences';

// The glance cards rendered to HTML (Server Components are plain functions here): the words each
// card chooses for ok, not provided and stale values, privacy, units and both languages. Expected
// texts are written from the messages and hand-converted numbers.

const NOW = Date.UTC(2026, 2, 15, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function ctxFor(locale: 'en' | 'fr', units: UnitPreferences = METRIC_UNITS): GlanceContext {
  const messages = locale === 'en' ? en : fr;
  const t = createTranslator({ locale, messages, namespace: 'glance' }) as unknown as GlanceContext['t'];
  const format = createFormatter({ locale, timeZone: 'UTC', now: new Date(NOW) }) as GlanceContext['format'];
  return { t, format, locale, now: NOW, units };
}

const base: GlanceDto = {
  vehicle: { id: 'v1', label: 'Daily', brand: 'Peugeot', model: '308', powertrain: 'petrol' },
  energy: {
    fuelLevelPct: { availability: 'ok', value: 55.4, measuredAt: NOW - 3 * HOUR },
    batteryLevelPct: { availability: 'not_provided', value: null, measuredAt: null },
    rangeKm: { availability: 'ok', value: 480, measuredAt: NOW - 3 * HOUR },
  },
  odometerKm: { availability: 'stale', value: 12_050.6, measuredAt: Date.UTC(2026, 2, 10, 8, 15) },
  location: {
    availability: 'ok',
    value: { latitude: 48.8566, longitude: -2.3522 },
    measuredAt: NOW - HOUR,
    privacy: { state: 'none', since: NOW - HOUR },
    hidden: false,
    nearTrip: { id: 'trip1', startedAt: Date.UTC(2026, 2, 14, 9) },
  },
  activity: {
    state: 'parked',
    speedKmh: null,
    since: NOW - HOUR,
    measuredAt: NOW - HOUR,
    availability: 'ok',
  },
  service: {
    availability: 'ok',
    daysBeforeService: -3,
    kmBeforeService: 250,
    overdue: true,
    measuredAt: NOW - 2 * DAY,
    forecast: null,
  },
  alerts: { critical: 1, warning: 2, information: 0 },
  score: {
    week: { score: 81.6, ratedTrips: 4 },
    rank: { percentile: 62.5, group: { powertrain: 'petrol', segment: 'C' }, groupSize: 8 },
    progress: { ratedKm: 240, ratedTrips: 12, requiredKm: 100, requiredTrips: 5 },
  },
  silence: { silent: false, lastMeasuredAt: NOW - HOUR, expectedCadenceMs: DAY },
  sync: { lastSyncedAt: NOW - 5 * 60_000, staleSince: null, rateLimitedUntil: null },
};

const render = (glance: GlanceDto, ctx: GlanceContext) =>
  renderToStaticMarkup(createElement(GlanceCards, { ctx, glance }))
    .replace(/<[^>]+>/g, ' ')
    .replace(/[ \n\t]+/g, ' ');

describe('glance cards', () => {
  it('words each card in English, metric', () => {
    const text = render(base, ctxFor('en'));
    expect(text).toContain('Fuel level 55 %');
    expect(text).toContain('updated 3 hours ago');
    expect(text).toContain('480\u202fkm range');
    // The odometer is stale: its value stays, with when data stopped.
    expect(text).toContain('12,051\u202fkm');
    expect(text).toContain('no data since Mar 10, 08:15 AM');
    expect(text).toContain('Last seen at 48.85660° N, 2.35220° W');
    expect(text).toContain('Near the end of your trip of Mar 14, 2026');
    expect(text).toContain('Parked since Mar 15, 11:00 AM');
    expect(text).toContain('Overdue');
    expect(text).toContain('3 days overdue');
    expect(text).toContain('250\u202fkm left');
    expect(text).toContain('1 critical');
    expect(text).toContain('2 warnings');
    expect(text).not.toContain('notice');
    expect(text).toContain('82 out of 100');
    expect(text).toContain('over 4 rated trips in the last 7 days');
    expect(text).toContain('Better than 63% of 8 drivers in petrol · C-segment over 30 days');
    expect(text).not.toContain('Data stopped arriving');
  });

  it('says when a value is not provided, when data stopped, and hides a private position', () => {
    const glance: GlanceDto = {
      ...base,
      vehicle: { ...base.vehicle, powertrain: 'electric' },
      energy: {
        fuelLevelPct: { availability: 'not_provided', value: null, measuredAt: null },
        batteryLevelPct: { availability: 'ok', value: 80, measuredAt: NOW - 3 * HOUR },
        rangeKm: { availability: 'not_provided', value: null, measuredAt: null },
      },
      location: {
        availability: 'ok',
        value: null,
        measuredAt: null,
        privacy: { state: 'geolocation', since: Date.UTC(2026, 2, 15, 9, 30) },
        hidden: true,
        nearTrip: null,
      },
      service: {
        availability: 'not_provided',
        daysBeforeService: null,
        kmBeforeService: null,
        overdue: false,
        measuredAt: null,
        forecast: null,
      },
      alerts: { critical: 0, warning: 0, information: 0 },
      silence: { silent: true, lastMeasuredAt: Date.UTC(2026, 2, 1, 7, 0), expectedCadenceMs: DAY },
    };
    const text = render(glance, ctxFor('en'));
    expect(text).toContain('Battery level 80 %');
    expect(text).not.toContain('Fuel level');
    expect(text).toContain('Range not available for this car');
    expect(text).toContain('Position hidden: the car is in privacy mode since Mar 15, 09:30 AM.');
    expect(text).not.toContain('Last seen');
    expect(text).toContain('Service information not available for this car');
    expect(text).toContain('No active alert');
    expect(text).toContain('Data stopped arriving');
    expect(text).toContain('Nothing has arrived from this car since Mar 1, 07:00 AM.');
  });

  it('says since when nothing was fetched while syncing fails, in both languages (UP-07)', () => {
    expect(render(base, ctxFor('en'))).not.toContain('not updated since');
    const failing: GlanceDto = {
      ...base,
      sync: { lastSyncedAt: NOW - 2 * HOUR, staleSince: NOW - 2 * HOUR, rateLimitedUntil: null },
    };
    const en = render(failing, ctxFor('en'));
    expect(en).toContain('Stale: not updated since Mar 15, 10:00 AM');
    expect(en).toContain('The car maker’s service is not answering Kinetic just now.');
    // The values stay, each with its own age.
    expect(en).toContain('updated 3 hours ago');
    expect(render(failing, ctxFor('fr'))).toContain(
      'Données anciennes : pas à jour depuis le 15 mars, 10:00',
    );

    // UP-01: held back by the maker's rate limit, the page says when the next update comes.
    const limited: GlanceDto = { ...failing, sync: { ...failing.sync, rateLimitedUntil: NOW + 15 * 60_000 } };
    expect(render(limited, ctxFor('en'))).toContain(
      'The car maker is rate-limiting Kinetic: next update at 12:15 PM.',
    );
    expect(render(limited, ctxFor('fr'))).toContain(
      'Le constructeur limite le débit de Kinetic : prochaine mise à jour à 12:15.',
    );
  });

  it('follows the owner’s units (miles, mph) and speaks French', () => {
    const driving: GlanceDto = {
      ...base,
      activity: {
        state: 'driving',
        speedKmh: 80.4672,
        since: null,
        measuredAt: NOW - 20_000,
        availability: 'ok',
      },
      service: { ...base.service, daysBeforeService: 20, kmBeforeService: 1609.344, overdue: false },
    };
    const imperial = render(driving, ctxFor('en', { speed: 'mph', fuel: 'mpg_uk', energy: 'mikwh' }));
    // 480 km = 298.3 mi; 12,050.6 km = 7,488 mi; 80.4672 km/h = 50 mph; 1,609.344 km = 1,000 mi.
    expect(imperial).toContain('298\u202fmi range');
    expect(imperial).toContain('7,488\u202fmi');
    expect(imperial).toContain('Driving at 50\u202fmph');
    expect(imperial).toContain('in 20 days');
    expect(imperial).toContain('or in 1,000\u202fmi');
    // An unranked car says what it still needs, in the owner's units: 100 km = 62 mi, 24 km = 15 mi.
    const unranked = render(
      {
        ...driving,
        score: {
          week: { score: null, ratedTrips: 0 },
          rank: { percentile: null, group: { powertrain: 'petrol', segment: 'C' }, groupSize: null },
          progress: { ratedKm: 24, ratedTrips: 2, requiredKm: 100, requiredTrips: 5 },
        },
      },
      ctxFor('en', { speed: 'mph', fuel: 'mpg_uk', energy: 'mikwh' }),
    );
    expect(unranked).toContain('No rated trip in the last 7 days.');
    expect(unranked).toContain(
      'Ranked once the car has 62\u202fmi and 5 rated trips in 30 days (so far 15\u202fmi, 2).',
    );

    const french = render(base, ctxFor('fr'));
    expect(french).toContain('Niveau de carburant 55 %');
    expect(french).toContain('mis à jour il y a 3 heures');
    expect(french).toContain('Vu pour la dernière fois à 48,85660° N, 2,35220° O');
    expect(french).toContain('en retard de 3 jours');
    expect(french).toContain('Stationné');
    expect(french).toContain('82 sur 100');
    expect(french).toContain(
      'Meilleur que 63 % des 8 conducteurs du groupe essence · segment C sur 30 jours',
    );
  });
});
