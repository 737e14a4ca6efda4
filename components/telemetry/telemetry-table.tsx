'use client';

import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { type ChartMetric, TELEMETRY_CHART_METRICS } from '@/lib/telemetry-view/layout';
import { type DisplaySeries, tableRows } from '@/lib/telemetry-view/series';
import { numberFormatFor } from '@/lib/units/convert';
import type { ChartLabels } from './telemetry-charts';

const PAGE_ROWS = 200;

/**
 * The charts' data as a table (the same points, the same units): what a screen reader reads, and
 * what anyone can copy. Rows come a page at a time so a week of points does not build a huge DOM
 * on a phone.
 */
export function TelemetryTable({
  series,
  labels,
  caption,
  formatTime,
  locale,
}: {
  series: Record<ChartMetric, DisplaySeries>;
  labels: Record<ChartMetric, ChartLabels>;
  caption: string;
  formatTime: (t: number) => string;
  locale: string;
}) {
  const t = useTranslations('telemetry');
  const [shown, setShown] = useState(PAGE_ROWS);
  const columns = TELEMETRY_CHART_METRICS.filter((metric) => series[metric].available);
  const rows = useMemo(() => tableRows(series, columns), [series, columns]);
  const formats = Object.fromEntries(
    columns.map((metric) => {
      const unit = series[metric].display?.unit;
      return [metric, unit ? numberFormatFor(unit, locale) : new Intl.NumberFormat(locale)];
    }),
  );

  if (rows.length === 0) return <p className="text-muted text-sm">{t('table.empty')}</p>;
  const visible = rows.slice(0, shown);

  return (
    <div className="flex flex-col gap-3">
      <div className="max-h-[70vh] overflow-auto rounded-lg border border-border">
        <table className="w-full border-collapse text-sm" data-testid="telemetry-table">
          <caption className="p-2 text-left text-muted text-xs">{caption}</caption>
          <thead className="sticky top-0 bg-surface-2">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                {t('table.time')}
              </th>
              {columns.map((metric) => (
                <th key={metric} scope="col" className="px-3 py-2 text-right font-medium">
                  {labels[metric].axis}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr key={row.t} className="border-border border-t">
                <th scope="row" className="whitespace-nowrap px-3 py-1.5 text-left font-normal">
                  {formatTime(row.t)}
                </th>
                {columns.map((metric) => {
                  const value = row.values[metric];
                  return (
                    <td key={metric} className="px-3 py-1.5 text-right tabular-nums">
                      {value === null || value === undefined ? '—' : formats[metric]?.format(value)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center gap-3 text-muted text-sm">
        <span>{t('table.count', { shown: visible.length, total: rows.length })}</span>
        {shown < rows.length ? (
          <Button variant="secondary" onClick={() => setShown((count) => count + PAGE_ROWS)}>
            {t('table.more', { count: Math.min(PAGE_ROWS, rows.length - shown) })}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
