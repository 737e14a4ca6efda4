// Power over a charge from its battery-level readings (pure). The samples of the supported
// providers carry the level and the charging state but no charging power (PSA v4 reports a
// `chargingRate` in km of range per hour and a coarse `chargingPowerLevel`, neither stored), so
// power is estimated per interval between two readings: kW ≈ Δ% ÷ 100 × usable capacity ÷ Δh.
// Without a known capacity the same series is the level's rise in % per hour.

export type LevelReading = { at: number; pct: number };

const MS_PER_HOUR = 3_600_000;

/**
 * One point per interval between consecutive readings, at its middle. A fall in level while
 * charging (bad data or consumption by the car) shows as 0, not as negative power. Intervals
 * shorter than a second are skipped (a repeated reading says nothing about a rate).
 */
export function powerSeries(
  readings: readonly LevelReading[],
  capacityKwh: number | null,
): [number, number][] {
  const sorted = [...readings].sort((a, b) => a.at - b.at);
  const points: [number, number][] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as LevelReading;
    const b = sorted[i] as LevelReading;
    const hours = (b.at - a.at) / MS_PER_HOUR;
    if (hours < 1 / 3600) continue;
    const pctPerHour = Math.max(0, b.pct - a.pct) / hours;
    const value = capacityKwh === null ? pctPerHour : (pctPerHour / 100) * capacityKwh;
    points.push([Math.round((a.at + b.at) / 2), Math.round(value * 100) / 100]);
  }
  return points;
}
