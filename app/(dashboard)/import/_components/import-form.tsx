'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { asImportReport, errorMessageOf, type ImportReport } from './import-report';
import { UploadAbortedError, type UploadHandle, UploadNetworkError, uploadFile } from './upload-request';

export type ImportVehicle = { id: string; label: string; description: string };

const NEW_VEHICLE = 'new';
const FUELS = ['petrol', 'diesel', 'hybrid', 'electric'] as const;
// The report lists up to 100 rejections; a screenful is enough to see what went wrong.
const SHOWN_REJECTIONS = 20;

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading' }
  | { kind: 'importing' }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'failed'; message: string };

/** Where a trip opens; the dashboard issue adds this page under the car's overview. */
export function tripHref(vehicleId: string, tripId: string): string {
  return `/vehicles/${encodeURIComponent(vehicleId)}/trips/${encodeURIComponent(tripId)}`;
}

const selectClasses = 'min-h-11 rounded-lg border border-border bg-surface px-3 py-2 text-base text-fg';

/** The query string of POST /api/imports: the CLI's flags, named as the route names them. */
function queryOf(form: FormData, file: File, vehicle: string): URLSearchParams {
  const query = new URLSearchParams({ name: file.name });
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  if (vehicle === NEW_VEHICLE) {
    for (const [field, param] of [
      ['label', 'vehicle'],
      ['make', 'make'],
      ['model', 'model'],
      ['fuel', 'fuel'],
    ] as const) {
      if (text(field)) query.set(param, text(field));
    }
  } else {
    query.set('vehicleId', vehicle);
  }
  for (const name of ['format', 'date', 'tz', 'map']) {
    const value = text(name);
    if (value && !(name === 'format' && value === 'auto')) query.set(name, value);
  }
  return query;
}

/** Its server page hands it the `imports` messages (ClientMessages). */
export function ImportForm({ vehicles, maxBytes }: { vehicles: ImportVehicle[]; maxBytes: number }) {
  const t = useTranslations('imports');
  const router = useRouter();
  const id = useId();
  const [vehicle, setVehicle] = useState<string>(vehicles[0]?.id ?? NEW_VEHICLE);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [percent, setPercent] = useState<number | null>(null);
  const upload = useRef<UploadHandle | null>(null);
  const busy = phase.kind === 'uploading' || phase.kind === 'importing';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    if (!(file instanceof File) || file.name === '') {
      setPhase({ kind: 'failed', message: t('errors.noFile') });
      return;
    }
    if (file.size > maxBytes) {
      setPhase({ kind: 'failed', message: t('errors.tooLarge', { mb: Math.round(maxBytes / 2 ** 20) }) });
      return;
    }
    setPercent(0);
    setPhase({ kind: 'uploading' });
    const handle = uploadFile(`/api/imports?${queryOf(form, file, vehicle)}`, file, (fraction) => {
      const next = Math.min(100, Math.round(fraction * 100));
      setPercent(next);
      // Sent in full: the server is parsing and storing now.
      if (next === 100)
        setPhase((current) => (current.kind === 'uploading' ? { kind: 'importing' } : current));
    });
    upload.current = handle;
    try {
      const answer = await handle.done;
      const report = answer.status === 200 ? asImportReport(answer.body) : null;
      if (report) {
        setPercent(100);
        setPhase({ kind: 'done', report });
        // A new car now exists: the server-rendered list of cars picks it up.
        router.refresh();
      } else {
        setPhase({
          kind: 'failed',
          message: errorMessageOf(answer.status, answer.body, {
            tooLarge: t('errors.payloadTooLarge'),
            // A plain string, not a number: an HTTP status is a code, never "1,234".
            failed: (status) => t('errors.httpFailed', { status: String(status) }),
          }),
        });
      }
    } catch (error) {
      setPercent(null);
      setPhase({
        kind: 'failed',
        message:
          error instanceof UploadAbortedError
            ? t('errors.cancelled')
            : error instanceof UploadNetworkError
              ? t('errors.network')
              : t('errors.uploadFailed'),
      });
      if (!(error instanceof UploadAbortedError)) console.error('[import] upload failed', error);
    } finally {
      upload.current = null;
    }
  }

  const status =
    phase.kind === 'uploading'
      ? t('status.uploading')
      : phase.kind === 'importing'
        ? t('status.importing')
        : phase.kind === 'done'
          ? t('status.done')
          : '';

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={submit} className="flex flex-col gap-4" aria-describedby={`${id}-status`}>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={`${id}-file`} className="font-medium text-fg text-sm">
            {t('form.file')}
          </label>
          <input
            id={`${id}-file`}
            name="file"
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            required
            disabled={busy}
            className="text-base text-fg"
          />
        </div>

        <div className="flex flex-col gap-1.5">
          <label htmlFor={`${id}-vehicle`} className="font-medium text-fg text-sm">
            {t('form.vehicle')}
          </label>
          <select
            id={`${id}-vehicle`}
            name="vehicle"
            value={vehicle}
            onChange={(event) => setVehicle(event.target.value)}
            disabled={busy}
            className={selectClasses}
          >
            {vehicles.map((item) => (
              <option key={item.id} value={item.id}>
                {item.description ? `${item.label} (${item.description})` : item.label}
              </option>
            ))}
            <option value={NEW_VEHICLE}>{t('form.newVehicleOption')}</option>
          </select>
        </div>

        {vehicle === NEW_VEHICLE ? (
          <fieldset className="flex flex-col gap-4 rounded-lg border border-border p-4" disabled={busy}>
            <legend className="px-1 font-medium text-sm">{t('form.newVehicle')}</legend>
            <TextField
              id={`${id}-label`}
              name="label"
              label={t('form.name')}
              placeholder={t('form.namePlaceholder')}
              maxLength={100}
              hint={t('form.nameHint')}
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                id={`${id}-make`}
                name="make"
                label={t('form.make')}
                maxLength={50}
                placeholder="Seat"
              />
              <TextField
                id={`${id}-model`}
                name="model"
                label={t('form.model')}
                maxLength={100}
                placeholder="Leon"
              />
            </div>
            <div className="flex flex-col gap-1.5">
              <label htmlFor={`${id}-fuel`} className="font-medium text-fg text-sm">
                {t('form.fuel')}
              </label>
              <select
                id={`${id}-fuel`}
                name="fuel"
                defaultValue=""
                className={selectClasses}
                aria-describedby={`${id}-fuel-hint`}
              >
                <option value="">{t('form.fuelUnknown')}</option>
                {FUELS.map((value) => (
                  <option key={value} value={value}>
                    {t(`form.fuels.${value}`)}
                  </option>
                ))}
              </select>
              <p id={`${id}-fuel-hint`} className="text-muted text-xs">
                {t('form.fuelHint')}
              </p>
            </div>
          </fieldset>
        ) : null}

        <details className="rounded-lg border border-border p-4">
          <summary className="cursor-pointer font-medium text-sm">{t('form.moreOptions')}</summary>
          <div className="mt-4 flex flex-col gap-4">
            <div className="flex flex-col gap-1.5">
              <label htmlFor={`${id}-format`} className="font-medium text-fg text-sm">
                {t('form.format')}
              </label>
              <select
                id={`${id}-format`}
                name="format"
                defaultValue="auto"
                disabled={busy}
                className={selectClasses}
              >
                <option value="auto">{t('form.formats.auto')}</option>
                <option value="torque">{t('form.formats.torque')}</option>
                <option value="csv">{t('form.formats.csv')}</option>
              </select>
            </div>
            <TextField
              id={`${id}-date`}
              name="date"
              label={t('form.date')}
              type="date"
              disabled={busy}
              hint={t('form.dateHint')}
            />
            <TextField
              id={`${id}-tz`}
              name="tz"
              label={t('form.timeZone')}
              placeholder="Europe/Paris"
              maxLength={100}
              disabled={busy}
              hint={t('form.timeZoneHint')}
            />
            <TextField
              id={`${id}-map`}
              name="map"
              label={t('form.mapping')}
              placeholder="Zeit=time,Tempo=speed_kmh"
              maxLength={2000}
              disabled={busy}
              hint={t('form.mappingHint')}
            />
          </div>
        </details>

        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={busy}>
            {t('form.submit')}
          </Button>
          {phase.kind === 'uploading' ? (
            <Button variant="secondary" onClick={() => upload.current?.abort()}>
              {t('form.cancel')}
            </Button>
          ) : null}
        </div>

        {percent !== null ? (
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${id}-progress`} className="font-medium text-fg text-sm">
              {t('form.progress')}
            </label>
            <progress
              id={`${id}-progress`}
              max={100}
              value={percent}
              aria-valuetext={t('form.percent', { percent })}
              className="h-3 w-full accent-accent"
            />
            <span className="text-muted text-sm" data-testid="upload-percent">
              {t('form.percent', { percent })}
            </span>
          </div>
        ) : null}

        <p id={`${id}-status`} role="status" className="text-sm">
          {status}
        </p>
        {phase.kind === 'failed' ? (
          <p role="alert" className="text-danger text-sm" data-testid="import-error">
            {phase.message}
          </p>
        ) : null}
      </form>

      {phase.kind === 'done' ? <ReportView report={phase.report} /> : null}
    </div>
  );
}

function ReportView({ report }: { report: ImportReport }) {
  const t = useTranslations('imports.report');
  const format = useFormatter();
  const counts = [
    [t('rowsRead'), report.rowsRead, 'rows-read'],
    [t('imported'), report.rowsImported, 'rows-imported'],
    [t('duplicates'), report.rowsDuplicate, 'rows-duplicate'],
    [t('rejected'), report.rowsRejected, 'rows-rejected'],
  ] as const;
  const shown = report.rejections.slice(0, SHOWN_REJECTIONS);
  return (
    <section
      aria-labelledby="import-report-title"
      className="flex flex-col gap-4"
      data-testid="import-report"
    >
      <h2 id="import-report-title" className="font-semibold text-lg">
        {t('title')}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
        {counts.map(([label, value, testId]) => (
          <div key={testId} className="contents">
            <dt className="text-muted">{label}</dt>
            <dd data-testid={testId}>{format.number(value)}</dd>
          </div>
        ))}
      </dl>

      {shown.length > 0 ? (
        <div className="flex flex-col gap-2">
          <h3 className="font-medium text-sm">
            {report.rowsRejected > shown.length
              ? t('firstRejected', { shown: shown.length, total: report.rowsRejected })
              : t('rejectedRows')}
          </h3>
          <ul className="flex flex-col gap-1 text-sm" data-testid="rejections">
            {shown.map((rejection) => (
              <li key={rejection.row}>
                {/* A line number is a position, never grouped ("1234", not "1,234"). */}
                <span className="font-medium">{t('line', { row: String(rejection.row) })}</span>{' '}
                {rejection.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="flex flex-col gap-2">
        <h3 className="font-medium text-sm">{t('tripsInLog', { count: report.tripIds.length })}</h3>
        {report.tripIds.length > 0 ? (
          <ul className="flex flex-col gap-1 text-sm" data-testid="trips">
            {report.tripIds.map((tripId, index) => (
              <li key={tripId}>
                <Link className="text-accent underline" href={tripHref(report.vehicleId, tripId)}>
                  {t('trip', { number: index + 1 })}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        <Link
          className="text-accent text-sm underline"
          href={`/vehicles/${encodeURIComponent(report.vehicleId)}`}
        >
          {t('openVehicle')}
        </Link>
      </div>
    </section>
  );
}
