import { BatteryMedium, Fuel } from 'lucide-react';
import type { GlanceDto, NumberReading } from '@/lib/schemas/glance';
import { convertDistance, formatWithUnit } from '@/lib/units/convert';
import { GlanceCard } from './glance-card';
import { freshnessText, type GlanceContext } from './glance-context';

const COMBUSTION = new Set(['petrol', 'diesel']);

/** A level in % with a bar (the number is always written: the bar is decoration). */
function Level({ ctx, label, reading }: { ctx: GlanceContext; label: string; reading: NumberReading }) {
  const value = reading.value;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-muted text-sm">{label}</span>
        <span className="font-semibold text-2xl tabular-nums">
          {value === null
            ? '—'
            : ctx.t('energy.level', { value: ctx.format.number(value, { maximumFractionDigits: 0 }) })}
        </span>
      </div>
      <div className="h-2 overflow-hidden rounded-full bg-surface-2" aria-hidden="true">
        <div
          className="h-full rounded-full bg-accent"
          style={{ width: `${Math.max(0, Math.min(100, value ?? 0))}%` }}
        />
      </div>
      <p className="text-muted text-xs" data-testid="freshness">
        {freshnessText(ctx, reading.availability, reading.measuredAt, label)}
      </p>
    </div>
  );
}

/**
 * Fuel or battery by powertrain (a plug-in hybrid shows both), with the remaining range in the
 * owner's distance unit.
 */
export function EnergyCard({ ctx, glance }: { ctx: GlanceContext; glance: GlanceDto }) {
  const { powertrain } = glance.vehicle;
  const showFuel = powertrain !== 'electric';
  // A car whose maker does not say its powertrain (PSA v4 says only "Thermic") shows the battery only
  // when it reports one, rather than a "not available" row on every combustion car.
  const showBattery =
    !COMBUSTION.has(powertrain) &&
    (powertrain !== 'unknown' || glance.energy.batteryLevelPct.availability !== 'not_provided');
  const { fuelLevelPct, batteryLevelPct, rangeKm } = glance.energy;
  const title =
    showFuel && showBattery
      ? ctx.t('energy.bothTitle')
      : showFuel
        ? ctx.t('energy.fuelTitle')
        : ctx.t('energy.batteryTitle');
  const range = convertDistance(rangeKm.value, ctx.units.speed);
  const shown = [showFuel ? fuelLevelPct : null, showBattery ? batteryLevelPct : null, rangeKm].filter(
    (reading) => reading !== null,
  );
  // The card is as stale as its stalest shown value.
  const availability = shown.some((r) => r.availability === 'stale')
    ? 'stale'
    : shown.every((r) => r.availability === 'not_provided')
      ? 'not_provided'
      : 'ok';
  return (
    <GlanceCard
      title={title}
      icon={showFuel ? Fuel : BatteryMedium}
      testId="glance-energy"
      availability={availability}
      className="sm:col-span-2 lg:col-span-1"
    >
      {showFuel ? <Level ctx={ctx} label={ctx.t('metric.fuel')} reading={fuelLevelPct} /> : null}
      {showBattery ? <Level ctx={ctx} label={ctx.t('metric.battery')} reading={batteryLevelPct} /> : null}
      <div className="mt-1 flex flex-col gap-0.5" data-testid="glance-range">
        <p className="text-sm">
          <span className="font-semibold tabular-nums">
            {range.value === null ? '—' : formatWithUnit(Math.round(range.value), range.unit, ctx.locale)}
          </span>{' '}
          <span className="text-muted">{ctx.t('energy.rangeLabel')}</span>
        </p>
        <p className="text-muted text-xs" data-testid="freshness">
          {freshnessText(ctx, rangeKm.availability, rangeKm.measuredAt, ctx.t('metric.range'))}
        </p>
      </div>
    </GlanceCard>
  );
}
