import { describe, expect, it } from 'vitest';
import { forecastService, paceFromOdometer, paceFromTrips, roughDuration } from './forecast';

// Hand-computed cases: every expected date is worked out below from the report and the pace.

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1);

describe('forecastService', () => {
  it('dates the distance limit first when the pace reaches it before the time limit', () => {
    // Reported 10 days ago: 100 days and 3000 km left. At 50 km/day the km last 60 days from the
    // report (now + 50 d); the days last until now + 90 d. Distance first, in 50 days.
    const forecast = forecastService(
      { at: NOW - 10 * DAY, daysBeforeService: 100, kmBeforeService: 3000 },
      50,
      NOW,
    );
    expect(forecast).toEqual({
      status: 'ok',
      dueAt: NOW + 50 * DAY,
      firstLimit: 'distance',
      daysLeft: 50,
      byTimeAt: NOW + 90 * DAY,
      byDistanceAt: NOW + 50 * DAY,
      daysBeforeServiceNow: 90,
      kmBeforeServiceNow: 2500, // 3000 − 10 days × 50 km
      paceKmPerDay: 50,
    });
  });

  it('dates the time limit first for a car driven little', () => {
    // 3000 km at 20 km/day = 150 days from the report (now + 140 d) > now + 90 d.
    const forecast = forecastService(
      { at: NOW - 10 * DAY, daysBeforeService: 100, kmBeforeService: 3000 },
      20,
      NOW,
    );
    expect(forecast.firstLimit).toBe('time');
    expect(forecast.dueAt).toBe(NOW + 90 * DAY);
    expect(forecast.byDistanceAt).toBe(NOW + 140 * DAY);
    expect(forecast.kmBeforeServiceNow).toBe(2800);
  });

  it('uses the time limit only without a pace, and keeps the reported km', () => {
    const forecast = forecastService(
      { at: NOW - 10 * DAY, daysBeforeService: 100, kmBeforeService: 3000 },
      null,
      NOW,
    );
    expect(forecast).toMatchObject({
      status: 'ok',
      firstLimit: 'time',
      dueAt: NOW + 90 * DAY,
      byDistanceAt: null,
      kmBeforeServiceNow: 3000,
      paceKmPerDay: null,
    });
  });

  it('picks time on a tie', () => {
    // 600 km at 60 km/day = 10 days, same as the 10 days left.
    expect(
      forecastService({ at: NOW, daysBeforeService: 10, kmBeforeService: 600 }, 60, NOW).firstLimit,
    ).toBe('time');
  });

  it('is overdue when the days ran out', () => {
    // −5 days reported 2 days ago: the time limit fell 7 days ago.
    const forecast = forecastService(
      { at: NOW - 2 * DAY, daysBeforeService: -5, kmBeforeService: 1000 },
      10,
      NOW,
    );
    expect(forecast).toMatchObject({
      status: 'overdue',
      firstLimit: 'time',
      dueAt: NOW - 7 * DAY,
      daysLeft: -7,
    });
    expect(forecast.daysBeforeServiceNow).toBe(-7);
  });

  it('is overdue on distance when the km are used up, even without a pace', () => {
    const forecast = forecastService(
      { at: NOW - DAY, daysBeforeService: 30, kmBeforeService: -200 },
      null,
      NOW,
    );
    expect(forecast).toMatchObject({
      status: 'overdue',
      firstLimit: 'distance',
      dueAt: NOW - DAY,
      daysLeft: -1,
    });
    expect(forecast.kmBeforeServiceNow).toBe(-200);
  });

  it('dates a used-up distance in the past at the pace', () => {
    // −200 km at 40 km/day: reached 5 days before the report, which was 1 day ago.
    const forecast = forecastService(
      { at: NOW - DAY, daysBeforeService: 30, kmBeforeService: -200 },
      40,
      NOW,
    );
    expect(forecast.dueAt).toBe(NOW - 6 * DAY);
    expect(forecast.kmBeforeServiceNow).toBe(-240);
  });

  it('is unknown without a report, with an empty one, or with only km and no pace', () => {
    expect(forecastService(null, 30, NOW)).toMatchObject({
      status: 'unknown',
      dueAt: null,
      paceKmPerDay: 30,
    });
    expect(forecastService({ at: NOW, daysBeforeService: null, kmBeforeService: null }, 30, NOW).status).toBe(
      'unknown',
    );
    const kmOnly = forecastService(
      { at: NOW - 3 * DAY, daysBeforeService: null, kmBeforeService: 800 },
      null,
      NOW,
    );
    expect(kmOnly).toMatchObject({
      status: 'unknown',
      dueAt: null,
      firstLimit: null,
      kmBeforeServiceNow: 800,
    });
  });

  it('never reaches the distance limit of a car that is not driven', () => {
    expect(forecastService({ at: NOW, daysBeforeService: null, kmBeforeService: 500 }, 0, NOW).status).toBe(
      'unknown',
    );
    expect(forecastService({ at: NOW, daysBeforeService: 40, kmBeforeService: 500 }, 0, NOW).firstLimit).toBe(
      'time',
    );
  });
});

describe('pace', () => {
  it('divides the odometer distance by the days from the first reading to now', () => {
    // 900 km between a reading 30 days ago and one yesterday: 900 / 30 = 30 km/day.
    expect(paceFromOdometer({ at: NOW - 30 * DAY, km: 10_000 }, { at: NOW - DAY, km: 10_900 }, NOW)).toBe(30);
  });

  it('needs two weeks of history and readings that do not go backwards', () => {
    expect(paceFromOdometer({ at: NOW - 10 * DAY, km: 0 }, { at: NOW, km: 100 }, NOW)).toBeNull();
    expect(paceFromOdometer({ at: NOW - 20 * DAY, km: 500 }, { at: NOW, km: 400 }, NOW)).toBeNull();
    expect(paceFromOdometer(null, { at: NOW, km: 400 }, NOW)).toBeNull();
  });

  it('sums trip distances over the span (negative distances count as none)', () => {
    expect(paceFromTrips([10, 20, -5], 15)).toBe(2);
    expect(paceFromTrips([10, 20], 13)).toBeNull();
  });
});

describe('roughDuration', () => {
  it('says days, then weeks, then months, then years', () => {
    expect(roughDuration(0.3)).toEqual({ unit: 'day', count: 0 });
    expect(roughDuration(1)).toEqual({ unit: 'day', count: 1 });
    expect(roughDuration(13.4)).toEqual({ unit: 'day', count: 13 });
    expect(roughDuration(14)).toEqual({ unit: 'week', count: 2 });
    expect(roughDuration(42)).toEqual({ unit: 'week', count: 6 });
    expect(roughDuration(62)).toEqual({ unit: 'week', count: 9 });
    expect(roughDuration(63)).toEqual({ unit: 'month', count: 2 });
    expect(roughDuration(365)).toEqual({ unit: 'month', count: 12 });
    expect(roughDuration(729)).toEqual({ unit: 'month', count: 24 });
    expect(roughDuration(730)).toEqual({ unit: 'year', count: 2 });
  });

  it('measures overdue lengths the same way', () => {
    expect(roughDuration(-42)).toEqual({ unit: 'week', count: 6 });
  });
});
