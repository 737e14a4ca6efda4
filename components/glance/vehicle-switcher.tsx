import Link from 'next/link';
import { cn } from '@/lib/cn';

export type SwitcherVehicle = { id: string; label: string };

/**
 * The owner's cars as plain links (no script needed); the one shown is marked. Rendered only when
 * there are several. Which one was opened last is remembered by <RememberVehicle>.
 */
export function VehicleSwitcher({
  vehicles,
  currentId,
  label,
}: {
  vehicles: readonly SwitcherVehicle[];
  currentId: string;
  label: string;
}) {
  if (vehicles.length < 2) return null;
  return (
    <nav
      aria-label={label}
      className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0"
      data-testid="vehicle-switcher"
    >
      <ul className="flex min-w-max gap-2">
        {vehicles.map((vehicle) => {
          const current = vehicle.id === currentId;
          return (
            <li key={vehicle.id}>
              <Link
                href={`/vehicles/${encodeURIComponent(vehicle.id)}`}
                aria-current={current ? 'page' : undefined}
                className={cn(
                  'flex min-h-11 items-center rounded-full border px-4 font-medium text-sm',
                  current
                    ? 'border-accent bg-accent text-accent-fg'
                    : 'border-border bg-surface text-fg hover:bg-surface-2',
                )}
              >
                {vehicle.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
