'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { asImportReport, errorMessageOf, type ImportReport } from './import-report';
import { UploadAbortedError, type UploadHandle, uploadFile } from './upload-request';

export type ImportVehicle = { id: string; label: string; description: string };

const NEW_VEHICLE = 'new';
const FUELS = [
  ['petrol', 'Petrol'],
  ['diesel', 'Diesel'],
  ['hybrid', 'Hybrid'],
  ['electric', 'Electric'],
] as const;
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

export function ImportForm({ vehicles, maxBytes }: { vehicles: ImportVehicle[]; maxBytes: number }) {
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
      setPhase({ kind: 'failed', message: 'Choose a file to import.' });
      return;
    }
    if (file.size > maxBytes) {
      setPhase({ kind: 'failed', message: `The file is larger than ${Math.round(maxBytes / 2 ** 20)} MB.` });
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
        setPhase({ kind: 'failed', message: errorMessageOf(answer.status, answer.body) });
      }
    } catch (error) {
      setPercent(null);
      setPhase({
        kind: 'failed',
        message: error instanceof Error ? error.message : 'The upload failed.',
      });
      if (!(error instanceof UploadAbortedError)) console.error('[import] upload failed', error);
    } finally {
      upload.current = null;
    }
  }

  const status =
    phase.kind === 'uploading'
      ? 'Uploading…'
      : phase.kind === 'importing'
        ? 'Uploaded. Importing the rows…'
        : phase.kind === 'done'
          ? 'Import finished.'
          : '';

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={submit} className="flex flex-col gap-4" aria-describedby={`${id}-status`}>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={`${id}-file`} className="font-medium text-fg text-sm">
            OBD-II log (CSV)
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
            Vehicle
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
            <option value={NEW_VEHICLE}>A new vehicle…</option>
          </select>
        </div>

        {vehicle === NEW_VEHICLE ? (
          <fieldset className="flex flex-col gap-4 rounded-lg border border-border p-4" disabled={busy}>
            <legend className="px-1 font-medium text-sm">New vehicle</legend>
            <TextField
              id={`${id}-label`}
              name="label"
              label="Name"
              placeholder="OBD import"
              maxLength={100}
              hint="A car you already have with this name is used instead of a new one."
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField id={`${id}-make`} name="make" label="Make" maxLength={50} placeholder="Seat" />
              <TextField id={`${id}-model`} name="model" label="Model" maxLength={100} placeholder="Leon" />
            </div>
            <div className="flex flex-col gap-1.5">
              <label htmlFor={`${id}-fuel`} className="font-medium text-fg text-sm">
                Fuel
              </label>
              <select
                id={`${id}-fuel`}
                name="fuel"
                defaultValue=""
                className={selectClasses}
                aria-describedby={`${id}-fuel-hint`}
              >
                <option value="">Not known</option>
                {FUELS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
              <p id={`${id}-fuel-hint`} className="text-muted text-xs">
                Lets Kinetic derive consumption from mass air flow when the log has no fuel rate.
              </p>
            </div>
          </fieldset>
        ) : null}

        <details className="rounded-lg border border-border p-4">
          <summary className="cursor-pointer font-medium text-sm">More options</summary>
          <div className="mt-4 flex flex-col gap-4">
            <div className="flex flex-col gap-1.5">
              <label htmlFor={`${id}-format`} className="font-medium text-fg text-sm">
                Format
              </label>
              <select
                id={`${id}-format`}
                name="format"
                defaultValue="auto"
                disabled={busy}
                className={selectClasses}
              >
                <option value="auto">Detect</option>
                <option value="torque">Torque Pro</option>
                <option value="csv">Generic CSV</option>
              </select>
            </div>
            <TextField
              id={`${id}-date`}
              name="date"
              label="Date of the log"
              type="date"
              disabled={busy}
              hint="Only for logs whose times carry no date."
            />
            <TextField
              id={`${id}-tz`}
              name="tz"
              label="Time zone of the log"
              placeholder="Europe/Paris"
              maxLength={100}
              disabled={busy}
              hint="For times written without a zone; your own setting otherwise."
            />
            <TextField
              id={`${id}-map`}
              name="map"
              label="Column mapping"
              placeholder="Zeit=time,Tempo=speed_kmh"
              maxLength={2000}
              disabled={busy}
              hint="column=field pairs for columns Kinetic does not recognise."
            />
          </div>
        </details>

        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={busy}>
            Upload and import
          </Button>
          {phase.kind === 'uploading' ? (
            <Button variant="secondary" onClick={() => upload.current?.abort()}>
              Cancel
            </Button>
          ) : null}
        </div>

        {percent !== null ? (
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${id}-progress`} className="font-medium text-fg text-sm">
              Upload progress
            </label>
            <progress
              id={`${id}-progress`}
              max={100}
              value={percent}
              aria-valuetext={`${percent} %`}
              className="h-3 w-full accent-accent"
            />
            <span className="text-muted text-sm" data-testid="upload-percent">
              {percent} %
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
  const counts = [
    ['Rows read', report.rowsRead, 'rows-read'],
    ['Imported', report.rowsImported, 'rows-imported'],
    ['Duplicates', report.rowsDuplicate, 'rows-duplicate'],
    ['Rejected', report.rowsRejected, 'rows-rejected'],
  ] as const;
  const shown = report.rejections.slice(0, SHOWN_REJECTIONS);
  return (
    <section
      aria-labelledby="import-report-title"
      className="flex flex-col gap-4"
      data-testid="import-report"
    >
      <h2 id="import-report-title" className="font-semibold text-lg">
        Import report
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
        {counts.map(([label, value, testId]) => (
          <div key={testId} className="contents">
            <dt className="text-muted">{label}</dt>
            <dd data-testid={testId}>{value.toLocaleString('en')}</dd>
          </div>
        ))}
      </dl>

      {shown.length > 0 ? (
        <div className="flex flex-col gap-2">
          <h3 className="font-medium text-sm">
            {report.rowsRejected > shown.length
              ? `The first ${shown.length} of ${report.rowsRejected.toLocaleString('en')} rejected rows`
              : 'Rejected rows'}
          </h3>
          <ul className="flex flex-col gap-1 text-sm" data-testid="rejections">
            {shown.map((rejection) => (
              <li key={rejection.row}>
                <span className="font-medium">Line {rejection.row}:</span> {rejection.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="flex flex-col gap-2">
        <h3 className="font-medium text-sm">
          {report.tripIds.length === 1 ? '1 trip' : `${report.tripIds.length} trips`} in this log
        </h3>
        {report.tripIds.length > 0 ? (
          <ul className="flex flex-col gap-1 text-sm" data-testid="trips">
            {report.tripIds.map((tripId, index) => (
              <li key={tripId}>
                <Link className="text-accent underline" href={tripHref(report.vehicleId, tripId)}>
                  Trip {index + 1}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        <Link
          className="text-accent text-sm underline"
          href={`/vehicles/${encodeURIComponent(report.vehicleId)}`}
        >
          Open the vehicle
        </Link>
      </div>
    </section>
  );
}
