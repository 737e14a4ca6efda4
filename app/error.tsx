'use client';

import { useLocale } from 'next-intl';
import { errorMessagesFor, errorReference } from '@/lib/i18n/error-messages';

// An error boundary is a client component with no ClientMessages above it: lib/i18n/error-messages
// gives it the few `errors` strings in the request's language.

export default function RootError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const locale = useLocale();
  const m = errorMessagesFor(locale);
  return (
    <main
      role="alert"
      className="mx-auto flex min-h-[60dvh] max-w-md flex-col items-start justify-center gap-4 px-4"
    >
      <h1 className="font-semibold text-2xl tracking-tight">{m.root.title}</h1>
      <p className="text-muted">{m.root.text}</p>
      {error.digest ? (
        <p className="font-mono text-muted text-xs">{errorReference(m, error.digest)}</p>
      ) : null}
      <button type="button" onClick={reset} className="min-h-11 rounded-lg bg-accent px-4 text-accent-fg">
        {m.retry}
      </button>
    </main>
  );
}
