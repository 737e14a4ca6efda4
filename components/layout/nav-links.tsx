'use client';

import { Bell, Gauge, Route, Settings, Upload } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';
import { NAV_ITEMS, type NavKey } from './nav-items';

const ICONS = { overview: Gauge, trips: Route, alerts: Bell, import: Upload, settings: Settings } as const;

function isActive(pathname: string, href: string): boolean {
  if (href === '/')
    return pathname === '/' || (pathname.startsWith('/vehicles/') && !pathname.includes('/trips/'));
  if (href === '/trips') return pathname === '/trips' || /^\/vehicles\/[^/]+\/trips\//.test(pathname);
  return pathname === href || pathname.startsWith(`${href}/`);
}

type NavLinksProps = {
  layout: 'sidebar' | 'bottom';
  labels: Record<NavKey, string>;
  /** Extra content per entry (the alerts badge), rendered after the label. */
  badges?: Partial<Record<NavKey, ReactNode>>;
};

/** Sidebar links on wide screens, a bottom bar on phones: the same items, two layouts. */
export function NavLinks({ layout, labels, badges = {} }: NavLinksProps) {
  const pathname = usePathname();
  return (
    <ul className={layout === 'sidebar' ? 'flex flex-col gap-1' : 'grid grid-flow-col auto-cols-fr'}>
      {NAV_ITEMS.map((item) => {
        const Icon = ICONS[item.key];
        const active = isActive(pathname, item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'relative',
                layout === 'sidebar'
                  ? 'flex min-h-11 items-center gap-3 rounded-lg px-3 font-medium text-sm'
                  : 'flex min-h-14 flex-col items-center justify-center gap-0.5 font-medium text-xs',
                active ? 'bg-surface-2 text-accent' : 'text-muted hover:bg-surface-2 hover:text-fg',
              )}
            >
              <Icon aria-hidden="true" className="size-5" />
              {labels[item.key]}
              {/* On the bottom bar the badge sits on the icon's corner, so its arrival never moves the bar. */}
              {layout === 'bottom' && badges[item.key] ? (
                <span className="absolute top-1 left-1/2 ml-1.5">{badges[item.key]}</span>
              ) : (
                badges[item.key]
              )}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
