'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useFormatter, useLocale, useTimeZone, useTranslations } from 'next-intl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { useHydrated } from '@/components/ui/use-hydrated';
import { telemetryMarksQueryOptions, telemetryQueryOptions } from '@/lib/api-client/telemetry';
import type { TelemetryDto } from '@/lib/schemas/telemetry';
import { DEFAULT_TELEMETRY_METRICS } from '@/lib/schemas/telemetry-limits';
import { type ChartMetric, plotAreaOf, TELEMETRY_CHART_METRICS } from '@/lib/telemetry-view/layout';
import {
  canGoNext,
  type RangePreset,
  type ResolvedRange,
  resolveRange,
  selectionFromRange,
  shiftSelection,
  switchPreset,
} from '@/lib/telemetry-view/range';
import {
  type DisplaySeries,
  LIVE_PARKED_REFETCH_MS,
  liveRefetchInterval,
  summarise,
  toDisplaySeries,
} from '@/lib/telemetry-view/series';
import { maxTicksFor, timeTicks } from '@/lib/telemetry-view/ticks';
import { roundWindow, SERVER_WIDTH_PX, type TimeWindow, widthBucket } from '@/lib/telemetry-view/zoom';
import { formatWithUnit, numberFormatFor } from '@/lib/units/convert';
import type { UnitPreferences } from '@/lib/units/preferences';
import { ChartsSkeleton } from './charts-skeleton';
import { MarksList } from './marks-list';
import { RangeControls } from './range-controls';
import type { ChartLabels, ChartMarks } from './telemetry-charts';
import { TelemetryTable } from './telemetry-table';
import { useElementWidth } from './use-element-width';
import { useRangeSelection } from './use-range-selection';
import { ZoomControls } from './zoom-controls';

// The telemetry explorer: range (in the URL), zoom, data (TanStack Query), units and the table view
// live here; the recharts code is a separate chunk loaded after the first paint (see
// telemetry-charts.tsx). This shell measures the plot width first, so the data request and the
// chart chunk download run side by side instead of one after the other.

const TelemetryCharts = dynamic(() => import('./telemetry-charts').then((m) => m.TelemetryCharts), {
  ssr: false,
  loading: () => <ChartsSkeleton />,
});

export type InitialRange = { from: string; to: string; preset: RangePreset };

export type TelemetryExplorerProps = {
  vehicleId: string;
  powertrain: string;
  units: UnitPreferences;
  initialRange: InitialRange;
  /** Offer the Live range (the vehicle page does; a trip page has no use for it). */
  live?: boolean;
  /** Keep the range in the URL (the vehicle's Charts page); a trip page keeps it in state. */
  rangeInUrl?: boolean;
};

const METRICS = DEFAULT_TELEMETRY_METRICS;

export function TelemetryExplorer({
  vehicleId,
  powertrain,
  units,
  initialRange,
  live = true,
  rangeInUrl = true,
}: TelemetryExplorerProps) {
  const t = useTranslations('telemetry');
  const format = useFormatter();
  const locale = useLocale();
  const timeZone = useTimeZone() ?? 'UTC';

  const initial = useMemo<ResolvedRange>(
    () => ({
      preset: initialRange.preset,
      from: Date.parse(initialRange.from),
      to: Date.parse(initialRange.to),
    }),
    [initialRange],
  );
  const [selection, select] = useRangeSelection(selectionFromRange(initial, timeZone), rangeInUrl);
  // The server's "now" until the browser ticks: the first render must ask for what was prefetched.
  const [now, setNow] = useState(initial.to);
  const range = useMemo(() => resolveRange(selection, now, timeZone), [selection, now, timeZone]);
  const bounds: TimeWindow = { from: range.from, to: range.to };

  const [zoom, setZoom] = useState<TimeWindow | null>(null);
  const [asTable, setAsTable] = useState(false);
  // A new range forgets the zoom of the previous one.
  const rangeKey = `${selection.preset}:${selection.preset === 'live' ? '' : `${range.from}-${range.to}`}`;
  const [zoomedRange, setZoomedRange] = useState(rangeKey);
  if (zoomedRange !== rangeKey) {
    setZoomedRange(rangeKey);
    setZoom(null);
  }
  const view = zoom ?? bounds;

  const stackRef = useRef<HTMLDivElement>(null);
  const measured = useElementWidth(stackRef);
  const width = widthBucket(measured === null ? Number.NaN : plotAreaOf(measured).width);

  const series = useQuery({
    ...telemetryQueryOptions({ vehicleId, metrics: METRICS, from: view.from, to: view.to, width }),
    placeholderData: keepPreviousData,
  });
  const marks = useQuery({
    ...telemetryMarksQueryOptions({ vehicleId, from: range.from, to: range.to }),
    placeholderData: keepPreviousData,
  });

  // Live: the window slides. Every 5 s while the car drives, every 30 s while it is parked.
  // The next slide is scheduled once the last request is over (answered or failed), so a slow
  // answer never stacks requests up.
  const isLive = selection.preset === 'live';
  const speed = series.data?.series.speed;
  const settled = !series.isFetching;
  const hydrated = useHydrated();
  useEffect(() => {
    if (!isLive || !settled) return;
    const delay = speed ? liveRefetchInterval(speed, Date.now()) : LIVE_PARKED_REFETCH_MS;
    const timer = setTimeout(() => setNow(Date.now()), delay);
    return () => clearTimeout(timer);
  }, [isLive, settled, speed]);
  // Outside live, the clock only decides whether "next period" exists.
  useEffect(() => {
    if (!isLive) setNow(Date.now());
  }, [isLive]);

  const display = useMemo(() => displaySeriesOf(series.data, units), [series.data, units]);
  const liveSeconds = Math.round((speed ? liveRefetchInterval(speed, now) : LIVE_PARKED_REFETCH_MS) / 1000);

  const formatTime = (instant: number) =>
    format.dateTime(new Date(instant), {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: view.to - view.from <= 3 * 3_600_000 ? '2-digit' : undefined,
    });
  const plotWidth = measured === null ? SERVER_WIDTH_PX : plotAreaOf(measured).width;
  const { unit: tickUnit, ticks } = timeTicks(view.from, view.to, maxTicksFor(plotWidth), timeZone);
  const formatTick = (instant: number) =>
    format.dateTime(
      new Date(instant),
      tickUnit === 'month'
        ? { month: 'short', year: '2-digit' }
        : tickUnit === 'day'
          ? { day: 'numeric', month: 'short' }
          : { hour: '2-digit', minute: '2-digit' },
    );
  const formatValue = (metric: ChartMetric, value: number) => {
    const unit = display[metric].display?.unit;
    return unit ? numberFormatFor(unit, locale).format(value) : String(value);
  };

  const labels = Object.fromEntries(
    TELEMETRY_CHART_METRICS.map((metric) => [metric, labelsOf(metric, display[metric])]),
  ) as Record<ChartMetric, ChartLabels>;

  function labelsOf(metric: ChartMetric, data: DisplaySeries): ChartLabels {
    const isEconomy = data.display?.direction === 'higher_is_better';
    const title = t(`metrics.${metric === 'consumption' && isEconomy ? 'economy' : metric}`);
    const unitLabel = data.display?.label ?? data.apiUnit;
    const summary = summarise(data.points);
    const withUnit = (value: number) =>
      data.display ? formatWithUnit(value, data.display.unit, locale) : String(value);
    return {
      title,
      unitLabel,
      axis: unitLabel ? t('axisLabel', { metric: title, unit: unitLabel }) : title,
      notAvailable: t('notAvailable', { metric: title }),
      direction: data.display?.direction ? t(`direction.${data.display.direction}`) : '',
      summary: summary
        ? t('chartSummary', {
            metric: title,
            min: withUnit(summary.min),
            max: withUnit(summary.max),
            mean: withUnit(summary.mean),
          })
        : t('chartEmpty', { metric: title }),
    };
  }

  const chartMarks: ChartMarks = useMemo(() => {
    const data = marks.data;
    if (!data) return { events: [], alerts: [] };
    return {
      events: data.events.map((event) => ({
        t: Date.parse(event.at),
        label: t('marks.event', { type: event.type }),
        short: t('marks.eventShort', { type: event.type }),
        severe: event.severity === 'severe',
      })),
      alerts: data.alerts.map((alert) => ({
        from: Date.parse(alert.startedAt),
        to: alert.endedAt ? Date.parse(alert.endedAt) : range.to,
        label: t('marks.alert', { type: alert.type }),
        critical: alert.severity === 'critical',
      })),
    };
  }, [marks.data, range.to, t]);

  const hasData = series.data !== undefined;
  const rangeText = format.dateTimeRange(
    new Date(range.from),
    // Calendar periods end at the next midnight, which belongs to the next period.
    new Date(isCalendar(selection.preset) ? range.to - 1 : range.to),
    isCalendar(selection.preset)
      ? { day: 'numeric', month: 'short', year: 'numeric' }
      : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' },
  );
  const resolution = series.data ? t(`resolution.${series.data.resolution}`) : '';

  return (
    <div className="flex flex-col gap-4" data-testid="telemetry-explorer" data-powertrain={powertrain}>
      <RangeControls
        selection={selection}
        range={range}
        timeZone={timeZone}
        rangeText={rangeText}
        offerLive={live}
        canGoNext={canGoNext(selection, now, timeZone)}
        onPreset={(preset) => {
          const at = Date.now();
          // Live starts from this second, not from when the page was opened.
          if (preset === 'live') setNow(at);
          select(switchPreset(range, preset, at, timeZone));
        }}
        onShift={(direction) => select(shiftSelection(selection, direction, Date.now(), timeZone))}
        onCustom={(from, to) => select({ preset: 'custom', from, to })}
        onTrip={
          initial.preset === 'trip'
            ? () => select({ preset: 'trip', from: initial.from, to: initial.to })
            : null
        }
      />

      {isLive ? (
        <p className="text-muted text-sm" data-testid="live-status">
          {t('range.liveStatus', { seconds: liveSeconds })}
        </p>
      ) : null}

      <div className="flex flex-wrap items-center justify-between gap-2">
        <ZoomControls
          view={view}
          bounds={bounds}
          zoomedText={
            zoom ? t('zoom.zoomed', { from: formatTime(zoom.from), to: formatTime(zoom.to) }) : null
          }
          onZoom={(next) => setZoom(roundWindow(next))}
          onReset={() => setZoom(null)}
        />
        <Button variant="secondary" onClick={() => setAsTable((value) => !value)} data-testid="table-toggle">
          {asTable ? t('view.showCharts') : t('view.showTable')}
        </Button>
      </div>

      {series.isError ? (
        <div role="alert" className="flex flex-wrap items-center gap-3 text-danger text-sm">
          <span>{t('loadError', { message: series.error.message })}</span>
          <Button variant="secondary" onClick={() => void series.refetch()}>
            {t('retry')}
          </Button>
        </div>
      ) : null}

      <div className="flex min-h-4 items-center justify-between gap-2 text-muted text-xs" aria-live="polite">
        <span>{resolution}</span>
        <span>{hydrated && series.isFetching && hasData ? t('updating') : ''}</span>
      </div>

      {/* The measured box: its width picks the data's resolution; its height never changes. */}
      <div ref={stackRef} className={asTable ? 'hidden' : 'w-full'} data-testid="telemetry-charts">
        {measured === null || !hasData ? (
          <ChartsSkeleton />
        ) : (
          <TelemetryCharts
            width={measured}
            view={view}
            bounds={bounds}
            ticks={ticks}
            series={display}
            labels={labels}
            marks={chartMarks}
            noDataLabel={t('noData')}
            formatTick={formatTick}
            formatTime={formatTime}
            formatValue={formatValue}
            onZoom={(next) => setZoom(roundWindow(next))}
          />
        )}
        <p className="mt-2 hidden text-muted text-xs md:block">{t('zoom.hint')}</p>
      </div>

      {asTable ? (
        hasData ? (
          <TelemetryTable
            series={display}
            labels={labels}
            caption={t('table.caption', {
              from: formatTime(view.from),
              to: formatTime(view.to),
              resolution,
            })}
            formatTime={formatTime}
            locale={locale}
          />
        ) : (
          <ChartsSkeleton />
        )
      ) : null}

      <MarksList marks={marks.data} formatTime={formatTime} />
    </div>
  );
}

function isCalendar(preset: RangePreset): boolean {
  return preset === 'day' || preset === 'week' || preset === 'month' || preset === 'year';
}

function displaySeriesOf(
  dto: TelemetryDto | undefined,
  units: UnitPreferences,
): Record<ChartMetric, DisplaySeries> {
  return Object.fromEntries(
    TELEMETRY_CHART_METRICS.map((metric) => [metric, toDisplaySeries(dto?.series[metric], units)]),
  ) as Record<ChartMetric, DisplaySeries>;
}
