'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/cn';

export type VehicleTab = { href: string; label: string };

/**
 * The sections of one vehicle (overview, charts, maintenance, charging) as a row of links; the one
 * matching the current path is marked. Scrolls sideways on a narrow phone instead of wrapping.
 */
export function VehicleTabs({ tabs, label }: { tabs: readonly VehicleTab[]; label: string }) {
  const pathname = usePathname();
  // The first tab (the overview) is its own page only; the others also hold their sub-pages
  // (a charge's detail is under Charging). A trip's page is under none of them.
  const current = tabs.find((tab, index) =>
    index === 0 ? pathname === tab.href : pathname === tab.href || pathname.startsWith(`${tab.href}/`),
  )?.href;
  return (
    <nav aria-label={label} className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-border border-b">
        {tabs.map((tab) => (
          <li key={tab.href}>
            <Link
              href={tab.href}
              aria-current={tab.href === current ? 'page' : undefined}
              className={cn(
                'flex min-h-11 items-center border-b-2 px-3 font-medium text-sm',
                tab.href === current
                  ? 'border-accent text-accent'
                  : 'border-transparent text-muted hover:text-fg',
              )}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
