'use client';

import { type PointerEvent, useEffect, useRef, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  type SyncMethod,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from 'recharts';
import {
  CHART_MARGIN,
  type ChartMetric,
  chartHeight,
  plotAreaOf,
  TELEMETRY_CHART_METRICS,
  TIME_AXIS_HEIGHT,
  Y_AXIS_WIDTH,
} from '@/lib/telemetry-view/layout';
import { type DisplaySeries, nearestIndex } from '@/lib/telemetry-view/series';
import { pinchWindow, selectionWindow, type TimeWindow } from '@/lib/telemetry-view/zoom';

// The recharts part of the explorer, loaded lazily (next/dynamic, no SSR) so its ~100 kB of
// chart code never delays the first paint. Three charts share one crosshair through `syncId`;
// their instants differ (each series is downsampled on its own), so the sync matches the nearest
// time instead of the same index. Zoom gestures are read here as pointer events on the stack and
// turned into windows by the pure math of lib/telemetry-view/zoom.ts.

export type ChartLabels = {
  title: string;
  /** "Speed (mph)" — or the not-available sentence when the car has no such data. */
  axis: string;
  notAvailable: string;
  /** The chart's text alternative (min, max, mean), read instead of the drawing. */
  summary: string;
  /** "higher is better" for mpg, km/L and mi/kWh; empty otherwise. */
  direction: string;
  unitLabel: string;
};

export type ChartMarks = {
  events: { t: number; label: string; short: string; severe: boolean }[];
  alerts: { from: number; to: number; label: string; critical: boolean }[];
};

export type TelemetryChartsProps = {
  width: number;
  view: TimeWindow;
  bounds: TimeWindow;
  ticks: number[];
  series: Record<ChartMetric, DisplaySeries>;
  labels: Record<ChartMetric, ChartLabels>;
  marks: ChartMarks;
  noDataLabel: string;
  formatTick: (t: number) => string;
  formatTime: (t: number) => string;
  formatValue: (metric: ChartMetric, value: number) => string;
  onZoom: (window: TimeWindow) => void;
};

const SYNC_ID = 'kinetic-telemetry';

// Marks drawn with labels beyond this many would overlap into noise; lines alone still show.
const MAX_LABELLED_MARKS = 12;

/** Matches the crosshair of another chart by nearest instant (see the note above). */
const syncByTime: SyncMethod = (ticks, data) =>
  Math.max(
    0,
    nearestIndex(
      ticks.map((tick) => Number(tick.value)),
      Number(data.activeLabel),
    ),
  );

type Gesture =
  | { kind: 'idle' }
  | { kind: 'select'; pointerId: number; x0: number; x1: number }
  | { kind: 'pinch'; start: [number, number]; ids: [number, number] };

export function TelemetryCharts(props: TelemetryChartsProps) {
  const { width, view, bounds, onZoom } = props;
  const stackRef = useRef<HTMLDivElement>(null);
  // User Timing of the first mount (render start → committed and laid out), which the benchmark
  // reads with the CPU slowed 4×: `kinetic:charts-mount` in the performance timeline.
  const renderStart = useRef(performance.now());
  useEffect(() => {
    performance.measure('kinetic:charts-mount', { start: renderStart.current });
  }, []);
  const pointers = useRef(new Map<number, number>());
  const gesture = useRef<Gesture>({ kind: 'idle' });
  const [selection, setSelection] = useState<[number, number] | null>(null);
  const [preview, setPreview] = useState<TimeWindow | null>(null);
  const plot = plotAreaOf(width);
  const shown = preview ?? view;
  // The one time axis sits under the lowest chart with data (an electric car has no RPM chart);
  // the stack's total height stays the same whichever chart carries it.
  const axisMetric =
    [...TELEMETRY_CHART_METRICS].reverse().find((metric) => props.series[metric].available) ??
    TELEMETRY_CHART_METRICS[TELEMETRY_CHART_METRICS.length - 1];

  const xOf = (event: PointerEvent) => event.clientX - (stackRef.current?.getBoundingClientRect().left ?? 0);

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    const x = xOf(event);
    pointers.current.set(event.pointerId, x);
    if (event.pointerType === 'mouse') {
      if (event.button !== 0) return;
      gesture.current = { kind: 'select', pointerId: event.pointerId, x0: x, x1: x };
      // Keep receiving the drag when the mouse leaves the charts (refused for synthetic events).
      try {
        event.currentTarget.setPointerCapture(event.pointerId);
      } catch {
        // Without capture the drag still works while the mouse stays over the charts.
      }
      return;
    }
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.entries()] as [[number, number], [number, number]];
      gesture.current = { kind: 'pinch', ids: [a[0], b[0]], start: [a[1], b[1]] };
    }
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    if (!pointers.current.has(event.pointerId)) return;
    const x = xOf(event);
    pointers.current.set(event.pointerId, x);
    const current = gesture.current;
    if (current.kind === 'select' && current.pointerId === event.pointerId) {
      current.x1 = x;
      setSelection([current.x0, x]);
    } else if (current.kind === 'pinch') {
      const a = pointers.current.get(current.ids[0]);
      const b = pointers.current.get(current.ids[1]);
      if (a !== undefined && b !== undefined)
        setPreview(pinchWindow(current.start, [a, b], plot, view, bounds));
    }
  }

  function onPointerEnd(event: PointerEvent<HTMLDivElement>) {
    const current = gesture.current;
    // The pinch's window from where the fingers are now, not from the last rendered preview: a
    // quick pinch can end before React has rendered its moves.
    let pinched: typeof preview = null;
    if (current.kind === 'pinch') {
      const a = pointers.current.get(current.ids[0]);
      const b = pointers.current.get(current.ids[1]);
      if (a !== undefined && b !== undefined)
        pinched = pinchWindow(current.start, [a, b], plot, view, bounds);
    }
    pointers.current.delete(event.pointerId);
    if (current.kind === 'select' && current.pointerId === event.pointerId) {
      const window = selectionWindow(current.x0, current.x1, plot, view, bounds);
      gesture.current = { kind: 'idle' };
      setSelection(null);
      if (window && event.type === 'pointerup') onZoom(window);
    } else if (current.kind === 'pinch' && current.ids.includes(event.pointerId)) {
      gesture.current = { kind: 'idle' };
      // The fingers let go: ask for data at the new window (finer when zoomed in).
      if (pinched && (pinched.from !== view.from || pinched.to !== view.to)) onZoom(pinched);
      setPreview(null);
    }
  }

  return (
    // Pointer gestures are an enhancement: the zoom buttons beside the charts do the same by keyboard.
    <div
      ref={stackRef}
      className="relative flex cursor-crosshair select-none flex-col gap-3 [touch-action:pan-y]"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
    >
      {TELEMETRY_CHART_METRICS.map((metric, index) => (
        <MetricChart
          key={metric}
          metric={metric}
          isLast={metric === axisMetric}
          isFirst={index === 0}
          shown={shown}
          {...props}
        />
      ))}
      {selection ? (
        <div
          aria-hidden="true"
          className="pointer-events-none absolute inset-y-0 border-accent border-x bg-accent/15"
          style={{ left: Math.min(...selection), width: Math.abs(selection[1] - selection[0]) }}
        />
      ) : null}
    </div>
  );
}

function MetricChart({
  metric,
  isLast,
  isFirst,
  shown,
  width,
  ticks,
  series,
  labels,
  marks,
  noDataLabel,
  formatTick,
  formatTime,
  formatValue,
}: TelemetryChartsProps & { metric: ChartMetric; isLast: boolean; isFirst: boolean; shown: TimeWindow }) {
  const data = series[metric];
  const label = labels[metric];
  const height = chartHeight(isLast);
  const headingId = `telemetry-chart-${metric}`;

  return (
    <figure className="flex flex-col gap-1" aria-labelledby={headingId}>
      <figcaption id={headingId} className="flex h-5 items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-fg">{label.axis}</span>
        {label.direction ? <span className="text-muted text-xs">{label.direction}</span> : null}
      </figcaption>
      {data.available ? (
        <div className="relative" style={{ height }}>
          {/* Screen readers get the summary here and every value in the table view; the drawing
              itself is hidden from them rather than offered as a keyboard "application". */}
          <p className="sr-only">{label.summary}</p>
          <LineChart
            aria-hidden="true"
            accessibilityLayer={false}
            width={width}
            height={height}
            data={data.points}
            syncId={SYNC_ID}
            syncMethod={syncByTime}
            margin={CHART_MARGIN}
          >
            <CartesianGrid vertical={false} stroke="var(--color-border)" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              domain={[shown.from, shown.to]}
              allowDataOverflow
              ticks={ticks}
              tickFormatter={formatTick}
              hide={!isLast}
              height={TIME_AXIS_HEIGHT}
              stroke="var(--color-muted)"
              fontSize={11}
              minTickGap={8}
            />
            <YAxis
              width={Y_AXIS_WIDTH}
              stroke="var(--color-muted)"
              fontSize={11}
              domain={['auto', 'auto']}
              tickFormatter={(value: number) => formatValue(metric, value)}
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: 'var(--color-fg)', strokeWidth: 1 }}
              content={(tooltip: TooltipContentProps) => (
                <ChartTooltip
                  tooltip={tooltip}
                  unit={label.unitLabel}
                  formatTime={formatTime}
                  format={(v) => formatValue(metric, v)}
                />
              )}
            />
            {marks.alerts.map((alert) => (
              <ReferenceArea
                key={`alert-${alert.from}-${alert.label}`}
                x1={Math.max(alert.from, shown.from)}
                x2={Math.min(alert.to, shown.to)}
                ifOverflow="hidden"
                fill={alert.critical ? 'var(--color-danger)' : 'var(--color-accent)'}
                fillOpacity={0.08}
                label={
                  isFirst && marks.alerts.length <= MAX_LABELLED_MARKS
                    ? { value: '⚠', position: 'insideTopLeft', fontSize: 11 }
                    : undefined
                }
              />
            ))}
            {marks.events.map((event) => (
              <ReferenceLine
                key={`event-${event.t}-${event.short}`}
                x={event.t}
                ifOverflow="hidden"
                stroke={event.severe ? 'var(--color-danger)' : 'var(--color-muted)'}
                strokeDasharray={event.severe ? undefined : '4 3'}
                label={
                  isFirst && marks.events.length <= MAX_LABELLED_MARKS
                    ? { value: event.short, position: 'top', fontSize: 10, fill: 'var(--color-muted)' }
                    : undefined
                }
              />
            ))}
            <Line
              dataKey="v"
              type="linear"
              dot={false}
              activeDot={{ r: 3 }}
              connectNulls={false}
              isAnimationActive={false}
              stroke="var(--color-accent)"
              strokeWidth={1.5}
            />
          </LineChart>
          {data.points.length === 0 ? (
            <p className="absolute inset-0 flex items-center justify-center text-muted text-sm">
              {noDataLabel}
            </p>
          ) : null}
        </div>
      ) : (
        <p
          className="flex items-center justify-center rounded-lg border border-border border-dashed text-muted text-sm"
          style={{ height }}
        >
          {label.notAvailable}
        </p>
      )}
    </figure>
  );
}

function ChartTooltip({
  tooltip,
  unit,
  formatTime,
  format,
}: {
  tooltip: TooltipContentProps;
  unit: string;
  formatTime: (t: number) => string;
  format: (value: number) => string;
}) {
  const entry = tooltip.payload?.[0];
  if (!tooltip.active || !entry) return null;
  const point = entry.payload as { t: number; v: number | null } | undefined;
  if (!point) return null;
  return (
    <div className="rounded-md border border-border bg-surface px-2 py-1 text-xs shadow-sm">
      <span className="text-muted">{formatTime(point.t)}</span>{' '}
      <span className="font-medium text-fg">{point.v === null ? '—' : `${format(point.v)} ${unit}`}</span>
    </div>
  );
}
