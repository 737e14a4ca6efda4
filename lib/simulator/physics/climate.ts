import type { Rng } from './random';

/**
 * A plausible outside temperature (°C) for a temperate western-European climate: a seasonal wave
 * (≈5 °C mean in January, ≈20 °C in July), a daily wave peaking mid-afternoon, and weather noise.
 * Only a default for callers that have no weather of their own.
 */
export function typicalOutsideTempC(date: Date, minuteOfDay: number, rng?: Rng): number {
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = (date.getTime() - start) / 86_400_000;
  const seasonal = 12.5 - 7.5 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.25);
  const daily = -4 * Math.cos((2 * Math.PI * (minuteOfDay - 3 * 60)) / 1440);
  const weather = rng ? rng.normal(0, 3) : 0;
  return seasonal + daily + weather;
}
