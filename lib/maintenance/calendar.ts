import type { MaintenanceDto, ServiceForecastDto } from '../schemas/maintenance';
import { dateInZone } from './ics';

// What the calendar export puts in its one event, from the maintenance DTO (client-safe, pure).
// The day is the forecast due date in the owner's time zone; an overdue service goes on today,
// since an event in the past reminds nobody. The UID names the vehicle only, so importing a newer
// file updates the same event rather than adding another.

export type ServiceEvent = {
  uid: string;
  stamp: number;
  date: string;
  url: string;
  fileName: string;
  firstLimit: NonNullable<ServiceForecastDto['firstLimit']>;
};

const slug = (label: string) =>
  label
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 40) || 'vehicle';

export function serviceEventOf(
  maintenance: MaintenanceDto,
  context: { now: number; timeZone: string; origin: string },
): ServiceEvent | null {
  const { forecast } = maintenance;
  if (forecast.dueAt === null || forecast.firstLimit === null) return null;
  const due = Math.max(Date.parse(forecast.dueAt), context.now);
  const id = encodeURIComponent(maintenance.vehicleId);
  return {
    uid: `service-${id}@kinetic`,
    stamp: context.now,
    date: dateInZone(due, context.timeZone),
    url: `${context.origin}/vehicles/${id}/maintenance`,
    fileName: `kinetic-service-${slug(maintenance.vehicleLabel)}.ics`,
    firstLimit: forecast.firstLimit,
  };
}
