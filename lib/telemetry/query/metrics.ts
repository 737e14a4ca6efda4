import 'server-only';
import type { RollupMetricPrefix } from '../../db/schema-rollups';
import type { TelemetryMetric, TelemetryUnit } from '../../schemas/telemetry';

// Where each API metric lives for one car: the sample column and rollup prefix it reads, its unit,
// and whether the car's powertrain can provide it at all. Consumption is the one metric whose
// column depends on the car: kWh/100 km for an electric car, fuel for everything else (a hybrid
// reports its fuel, interfaces.md). Both consumption columns are only ever written while the car
// moves (lib/vehicle-api/psa-v4/normalize.ts keeps it at ≥ 1 km/h; OBD files derive it from speed),
// so a stop shows as no reading, not as zero — the read path needs no filter of its own.

type NumericSampleColumn =
  | 'speed_kmh'
  | 'engine_rpm'
  | 'fuel_consumption_l100km'
  | 'energy_consumption_kwh100km'
  | 'fuel_level_pct'
  | 'battery_level_pct'
  | 'altitude_m';

export type MetricSource = {
  metric: TelemetryMetric;
  unit: TelemetryUnit;
  column: NumericSampleColumn;
  prefix: RollupMetricPrefix;
  /**
   * Digits kept after the decimal point (negative: tens): finer than a chart can draw or a tooltip
   * needs, and fewer bytes — whole km/h, tens of rpm, tenths of a litre or kWh per 100 km.
   */
  decimals: number;
};

/**
 * `false` when the powertrain rules the metric out whatever was stored: no engine speed nor fuel
 * on an electric car (its motor speed is not an engine's RPM), no traction battery level on a
 * petrol or diesel car. Unknown powertrains rule nothing out.
 */
function powertrainAllows(metric: TelemetryMetric, powertrain: string): boolean {
  switch (metric) {
    case 'rpm':
    case 'fuel_level':
      return powertrain !== 'electric';
    case 'battery_level':
      return powertrain !== 'petrol' && powertrain !== 'diesel';
    default:
      return true;
  }
}

function sourceOf(metric: TelemetryMetric, powertrain: string): MetricSource {
  switch (metric) {
    case 'speed':
      return { metric, unit: 'km/h', column: 'speed_kmh', prefix: 'speed', decimals: 0 };
    case 'rpm':
      return { metric, unit: 'rpm', column: 'engine_rpm', prefix: 'rpm', decimals: -1 };
    case 'consumption':
      return powertrain === 'electric'
        ? {
            metric,
            unit: 'kWh/100km',
            column: 'energy_consumption_kwh100km',
            prefix: 'energy_consumption',
            decimals: 1,
          }
        : {
            metric,
            unit: 'L/100km',
            column: 'fuel_consumption_l100km',
            prefix: 'fuel_consumption',
            decimals: 1,
          };
    case 'fuel_level':
      return { metric, unit: '%', column: 'fuel_level_pct', prefix: 'fuel_level', decimals: 1 };
    case 'battery_level':
      return { metric, unit: '%', column: 'battery_level_pct', prefix: 'battery_level', decimals: 1 };
    case 'altitude':
      return { metric, unit: 'm', column: 'altitude_m', prefix: 'altitude', decimals: 0 };
  }
}

export type PlannedMetric = MetricSource & {
  /** The powertrain allows it; whether the car ever stored a value is checked in SQL. */
  possible: boolean;
};

export function planMetrics(metrics: readonly TelemetryMetric[], powertrain: string): PlannedMetric[] {
  return metrics.map((metric) => ({
    ...sourceOf(metric, powertrain),
    possible: powertrainAllows(metric, powertrain),
  }));
}

export function roundTo(value: number, decimals: number): number {
  // `+ 0` turns the -0 of a rounded tiny negative into 0, so JSON never says "-0". Tens and
  // hundreds multiply back by an integer, exact where dividing by 0.1 is not.
  if (decimals < 0) {
    const step = 10 ** -decimals;
    return Math.round(value / step) * step + 0;
  }
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale + 0;
}
