'use client';

import { Monitor, Moon, Sun } from 'lucide-react';
import { useTheme } from 'next-themes';
import { useEffect, useState } from 'react';
import { cn } from '@/lib/cn';

const OPTIONS = [
  { value: 'light', label: 'Light', Icon: Sun },
  { value: 'dark', label: 'Dark', Icon: Moon },
  { value: 'system', label: 'System', Icon: Monitor },
] as const;

export function ThemeSwitcher({ compact = false }: { compact?: boolean }) {
  const { theme, setTheme } = useTheme();
  // The stored choice is only known in the browser; render neutral until mounted.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const current = mounted ? (theme ?? 'system') : undefined;

  return (
    <fieldset className="inline-flex w-fit rounded-lg border border-border bg-surface p-0.5">
      <legend className="sr-only">Theme</legend>
      {OPTIONS.map(({ value, label, Icon }) => (
        <label
          key={value}
          className={cn(
            'flex min-h-10 min-w-10 cursor-pointer items-center justify-center gap-1.5 rounded-md px-2 text-sm',
            current === value ? 'bg-surface-2 text-fg' : 'text-muted hover:text-fg',
          )}
        >
          <input
            type="radio"
            name={compact ? 'theme-compact' : 'theme'}
            value={value}
            checked={current === value}
            onChange={() => setTheme(value)}
            className="sr-only"
          />
          <Icon aria-hidden="true" className="size-4" />
          <span className={compact ? 'sr-only' : undefined}>{label}</span>
        </label>
      ))}
    </fieldset>
  );
}
