'use client';

import { Monitor, Moon, Sun } from 'lucide-react';
import { useTheme } from 'next-themes';
import { useEffect, useState } from 'react';
import { cn } from '@/lib/cn';

const OPTIONS = [
  { value: 'light', Icon: Sun },
  { value: 'dark', Icon: Moon },
  { value: 'system', Icon: Monitor },
] as const;

/** The switcher's words: the `theme` messages, translated by the server parent (getThemeLabels). */
export type ThemeLabels = { legend: string; light: string; dark: string; system: string };

export function ThemeSwitcher({ compact = false, labels }: { compact?: boolean; labels: ThemeLabels }) {
  const { theme, setTheme } = useTheme();
  // The stored choice is only known in the browser; render neutral until mounted.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const current = mounted ? (theme ?? 'system') : undefined;

  return (
    <fieldset className="inline-flex w-fit rounded-lg border border-border bg-surface p-0.5">
      <legend className="sr-only">{labels.legend}</legend>
      {OPTIONS.map(({ value, Icon }) => (
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
          <span className={compact ? 'sr-only' : undefined}>{labels[value]}</span>
        </label>
      ))}
    </fieldset>
  );
}
