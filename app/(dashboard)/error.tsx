'use client';

import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

// Shows the digest (to quote to support) and never the server's message or stack.
export default function DashboardError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <Card className="flex flex-col items-start gap-3" role="alert">
      <h1 className="font-semibold text-lg">This page could not be loaded</h1>
      <p className="text-muted text-sm">Something went wrong on our side. Your data is safe; try again.</p>
      {error.digest ? <p className="font-mono text-muted text-xs">Reference: {error.digest}</p> : null}
      <Button onClick={reset}>Try again</Button>
    </Card>
  );
}
