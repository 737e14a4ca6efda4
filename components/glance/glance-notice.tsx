import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

/** A notice above the glance cards: an icon, a bold line and a muted one, announced politely. */
export function GlanceNotice({
  icon: Icon,
  title,
  text,
  testId,
}: {
  icon: LucideIcon;
  title: ReactNode;
  text: ReactNode;
  testId: string;
}) {
  return (
    <div
      role="status"
      className="flex items-start gap-3 rounded-xl border border-danger/40 bg-surface p-4 text-sm"
      data-testid={testId}
    >
      <Icon aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-danger" />
      <div>
        <p className="font-semibold">{title}</p>
        <p className="text-muted">{text}</p>
      </div>
    </div>
  );
}
