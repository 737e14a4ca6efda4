'use client';

import { useTranslations } from 'next-intl';
import type { TelemetryMarksDto } from '@/lib/schemas/telemetry';
import { MAX_TELEMETRY_MARKS } from '@/lib/schemas/telemetry-limits';

const MAX_LISTED = 100;

/**
 * The harsh events and alerts of the range as text: the marks on the charts are lines and shaded
 * areas, which a screen reader cannot see and a colour-blind owner may not tell apart.
 */
export function MarksList({
  marks,
  formatTime,
}: {
  marks: TelemetryMarksDto | undefined;
  formatTime: (t: number) => string;
}) {
  const t = useTranslations('telemetry');
  if (!marks) return null;
  const count = marks.events.length + marks.alerts.length;
  if (count === 0) return <p className="text-muted text-sm">{t('marks.none')}</p>;

  return (
    <details className="rounded-lg border border-border bg-surface p-3" data-testid="telemetry-marks">
      <summary className="min-h-11 cursor-pointer content-center font-medium text-sm">
        {t('marks.title')} ({count})
      </summary>
      <ul className="mt-2 flex flex-col gap-1 text-sm">
        {marks.alerts.slice(0, MAX_LISTED).map((alert) => (
          <li key={`alert-${alert.id}`}>
            <span className="font-medium">{t('marks.alert', { type: alert.type.replaceAll('_', ' ') })}</span>{' '}
            ({t('marks.alertSeverity', { severity: alert.severity })}) ·{' '}
            {formatTime(Date.parse(alert.startedAt))}
            {' – '}
            {alert.endedAt ? formatTime(Date.parse(alert.endedAt)) : t('marks.ongoing')}
          </li>
        ))}
        {marks.events.slice(0, MAX_LISTED).map((event) => (
          <li key={`event-${event.tripId}-${event.at}-${event.type}`}>
            <span className="font-medium">{t('marks.event', { type: event.type })}</span> (
            {t('marks.severity', { severity: event.severity })}) · {formatTime(Date.parse(event.at))}
          </li>
        ))}
      </ul>
      {marks.truncated ? (
        <p className="mt-2 text-muted text-xs">{t('marks.truncated', { count: MAX_TELEMETRY_MARKS })}</p>
      ) : null}
    </details>
  );
}
