import type { LucideIcon } from 'lucide-react';
import { TriangleAlert } from 'lucide-react';
import type { ReactNode } from 'react';
import { Card } from '@/components/ui/card';
import { cn } from '@/lib/cn';
import type { Availability } from '@/lib/schemas/glance';

/**
 * One glance card: a titled value and, at the bottom, how fresh it is. The minimum height is the
 * same for every card, so nothing moves when values are longer or a refresh re-renders them.
 */
export function GlanceCard({
  title,
  icon: Icon,
  testId,
  children,
  footer,
  availability = 'ok',
  className,
}: {
  title: string;
  icon: LucideIcon;
  testId: string;
  children: ReactNode;
  footer?: ReactNode;
  availability?: Availability;
  className?: string;
}) {
  return (
    <Card
      className={cn('flex min-h-36 flex-col gap-2 p-4 sm:p-4', className)}
      data-testid={testId}
      data-availability={availability}
    >
      <h2 className="flex items-center gap-2 font-medium text-muted text-sm">
        <Icon aria-hidden="true" className="size-4 shrink-0" />
        {title}
      </h2>
      <div className="flex flex-1 flex-col gap-1">{children}</div>
      {footer ? <Freshness availability={availability}>{footer}</Freshness> : null}
    </Card>
  );
}

/** The freshness line; a stale one also carries a warning icon (colour is never the only signal). */
export function Freshness({ availability, children }: { availability: Availability; children: ReactNode }) {
  return (
    <p
      className={cn(
        'flex items-center gap-1 text-xs',
        availability === 'stale' ? 'text-danger' : 'text-muted',
      )}
      data-testid="freshness"
    >
      {availability === 'stale' ? <TriangleAlert aria-hidden="true" className="size-3.5 shrink-0" /> : null}
      <span>{children}</span>
    </p>
  );
}

/** The card's main figure. */
export function BigValue({ children }: { children: ReactNode }) {
  return <p className="font-semibold text-2xl text-fg tabular-nums leading-tight">{children}</p>;
}

/** The stand-in for a value that is not there: a dash for the eye, the freshness line says why. */
export function NoValue() {
  return (
    <p className="font-semibold text-2xl text-muted leading-tight" aria-hidden="true">
      —
    </p>
  );
}
