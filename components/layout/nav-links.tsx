'use client';

import { Gauge, Settings, Upload } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/cn';
import { NAV_ITEMS, type NavItem } from './nav-items';

const ICONS = { overview: Gauge, import: Upload, settings: Settings } as const;

function isActive(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/' || pathname.startsWith('/vehicles/');
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** Sidebar links on wide screens, a bottom bar on phones: the same items, two layouts. */
export function NavLinks({ layout }: { layout: 'sidebar' | 'bottom' }) {
  const pathname = usePathname();
  return (
    <ul className={layout === 'sidebar' ? 'flex flex-col gap-1' : 'grid grid-flow-col auto-cols-fr'}>
      {NAV_ITEMS.map((item: NavItem) => {
        const Icon = ICONS[item.icon];
        const active = isActive(pathname, item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? 'page' : undefined}
              className={cn(
                layout === 'sidebar'
                  ? 'flex min-h-11 items-center gap-3 rounded-lg px-3 font-medium text-sm'
                  : 'flex min-h-14 flex-col items-center justify-center gap-0.5 font-medium text-xs',
                active ? 'bg-surface-2 text-accent' : 'text-muted hover:bg-surface-2 hover:text-fg',
              )}
            >
              <Icon aria-hidden="true" className="size-5" />
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
