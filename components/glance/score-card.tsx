import { Trophy } from 'lucide-react';
import { GlanceCard } from './glance-card';
import type { GlanceContext } from './glance-context';

/** The weekly driving score and rank: a slot until scoring (issue 7) fills it. No made-up number. */
export function ScoreCard({ ctx }: { ctx: GlanceContext }) {
  return (
    <GlanceCard title={ctx.t('score.title')} icon={Trophy} testId="glance-score">
      <p className="text-muted text-sm" data-testid="score-pending">
        {ctx.t('score.pending')}
      </p>
    </GlanceCard>
  );
}
