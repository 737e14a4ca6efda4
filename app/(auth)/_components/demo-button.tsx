'use client';

import { useFormStatus } from 'react-dom';
import { Button } from '@/components/ui/button';

/** `label` and `pendingLabel` come translated from the server page (no messages in /login's JS). */
export function DemoButton({ label, pendingLabel }: { label: string; pendingLabel: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant="secondary" className="w-full" disabled={pending} aria-label={label}>
      {pending ? pendingLabel : label}
    </Button>
  );
}
