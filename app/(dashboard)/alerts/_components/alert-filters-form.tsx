import Form from 'next/form';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import type { AlertState } from '@/lib/schemas/alerts';

type Severity = 'critical' | 'warning' | 'information';

type AlertFiltersFormProps = {
  state: AlertState;
  severity?: Severity;
  vehicleId?: string;
  vehicles: { id: string; label: string }[];
  resetHref: string;
  labels: {
    severity: string;
    anySeverity: string;
    severities: Record<Severity, string>;
    vehicle: string;
    anyVehicle: string;
    apply: string;
    reset: string;
  };
};

const SELECT_CLASSES =
  'min-h-11 w-full rounded-lg border border-border bg-surface px-3 text-fg text-sm focus:outline-2 focus:outline-accent';

/** Severity and vehicle filters: a GET form, so the result is a URL (works without JavaScript). */
export function AlertFiltersForm({
  state,
  severity,
  vehicleId,
  vehicles,
  resetHref,
  labels,
}: AlertFiltersFormProps) {
  return (
    <Form action="/alerts" className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_1fr_auto_auto] sm:items-end">
      <input type="hidden" name="state" value={state} />
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-muted">{labels.severity}</span>
        <select name="severity" defaultValue={severity ?? ''} className={SELECT_CLASSES}>
          <option value="">{labels.anySeverity}</option>
          {(['critical', 'warning', 'information'] as const).map((value) => (
            <option key={value} value={value}>
              {labels.severities[value]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-muted">{labels.vehicle}</span>
        <select name="vehicleId" defaultValue={vehicleId ?? ''} className={SELECT_CLASSES}>
          <option value="">{labels.anyVehicle}</option>
          {vehicles.map((vehicle) => (
            <option key={vehicle.id} value={vehicle.id}>
              {vehicle.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={buttonClasses('primary')}>
        {labels.apply}
      </button>
      <Link href={resetHref} className={buttonClasses('ghost')}>
        {labels.reset}
      </Link>
    </Form>
  );
}
