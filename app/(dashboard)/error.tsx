'use client';

import { useLocale } from 'next-intl';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { errorMessagesFor, errorReference } from '@/lib/i18n/error-messages';

// An error boundary is a client component with no ClientMessages above it: lib/i18n/error-messages
// gives it the few `errors` strings in the request's language.

// Shows the digest (to quote to support) and never the server's message or stack.
export default function DashboardError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const locale = useLocale();
  const m = errorMessagesFor(locale);
  return (
    <Card className="flex flex-col items-start gap-3" role="alert">
      <h1 className="font-semibold text-lg">{m.dashboard.title}</h1>
      <p className="text-muted text-sm">{m.dashboard.text}</p>
      {error.digest ? (
        <p className="font-mono text-muted text-xs">{errorReference(m, error.digest)}</p>
      ) : null}
      <Button onClick={reset}>{m.retry}</Button>
    </Card>
  );
}
