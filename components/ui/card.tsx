import type { HTMLAttributes, ReactNode } from 'react';
import { cn } from '@/lib/cn';

export function Card({ className, ...props }: HTMLAttributes<HTMLElement>) {
  return (
    <section className={cn('rounded-xl border border-border bg-surface p-4 sm:p-6', className)} {...props} />
  );
}

export function CardTitle({ children, as: Tag = 'h2' }: { children: ReactNode; as?: 'h1' | 'h2' | 'h3' }) {
  return <Tag className="font-semibold text-base text-fg">{children}</Tag>;
}
