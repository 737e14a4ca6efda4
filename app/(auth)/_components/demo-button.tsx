'use client';

import { useFormStatus } from 'react-dom';
import { Button } from '@/components/ui/button';

export function DemoButton() {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant="secondary" className="w-full" disabled={pending} aria-label="Try the demo">
      {pending ? 'Opening the demo…' : 'Try the demo'}
    </Button>
  );
}
