'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** A link Kinetic shows only once (it keeps a hash), selected on focus, with a copy button. */
export function ShownOnceLink({
  url,
  label,
  copy,
  copied,
  testId,
}: {
  url: string;
  label: string;
  copy: string;
  copied: string;
  testId: string;
}) {
  const [copiedUrl, setCopiedUrl] = useState<string | null>(null);
  const id = `${testId}-field`;
  return (
    <div className="flex flex-col gap-2" role="status">
      <label htmlFor={id} className="text-sm">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          readOnly
          value={url}
          data-testid={testId}
          className="min-h-11 min-w-0 flex-1 rounded-lg border border-border bg-surface-2 px-3 text-sm"
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button
          type="button"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(url).catch(() => {});
            setCopiedUrl(url);
          }}
        >
          {copiedUrl === url ? copied : copy}
        </Button>
      </div>
    </div>
  );
}
