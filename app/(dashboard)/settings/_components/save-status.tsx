'use client';

import { useTranslations } from 'next-intl';
import { cn } from '@/lib/cn';

/** "Saving… / Saved. / Not saved: …", announced politely; the failure also says it with its words. */
export function SaveStatus({
  state,
  error,
  id,
}: {
  state: 'idle' | 'pending' | 'success' | 'error';
  error: Error | null;
  id: string;
}) {
  const t = useTranslations('settings.status');
  const text =
    state === 'pending'
      ? t('saving')
      : state === 'success'
        ? t('saved')
        : state === 'error'
          ? t('failed', { message: error?.message ?? '' })
          : '';
  return (
    <p
      id={id}
      role="status"
      aria-live="polite"
      className={cn(
        'min-h-5 text-sm',
        state === 'error' ? 'text-danger' : state === 'success' ? 'text-ok' : 'text-muted',
      )}
    >
      {text}
    </p>
  );
}
