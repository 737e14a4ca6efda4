import { getFormatter, getTranslations } from 'next-intl/server';
import { Card, CardTitle } from '@/components/ui/card';
import type { MakerEvaluation } from '@/lib/scores/maker-evaluation';

// The car maker's own eco-driving evaluation beside Kinetic's score: its mark on its own scale and
// its criteria, as the maker gave them, with a word on why the two differ.

export async function MakerEvaluationCard({
  evaluation,
  brand,
}: {
  evaluation: MakerEvaluation;
  brand: string;
}) {
  const [t, format] = await Promise.all([getTranslations('scores.maker'), getFormatter()]);
  const mark = (value: number) =>
    t('mark', {
      mark: format.number(value, { maximumFractionDigits: 1 }),
      max: format.number(evaluation.scaleMax),
    });
  const scope =
    evaluation.scope === 'month' && evaluation.period
      ? t('scope.month', {
          month: format.dateTime(new Date(`${evaluation.period}-15T12:00:00Z`), {
            month: 'long',
            year: 'numeric',
          }),
        })
      : evaluation.scope === 'day' && evaluation.period
        ? t('scope.day', {
            day: format.dateTime(new Date(`${evaluation.period}T12:00:00Z`), { dateStyle: 'medium' }),
          })
        : t(`scope.${evaluation.scope === 'trip' ? 'trip' : 'all'}`);
  // A criterion the messages do not know yet is shown by its own name rather than dropped.
  const criterionName = (name: string) => {
    const key = `criteria.${name}` as 'criteria.acceleration';
    return t.has(key) ? t(key) : name;
  };
  const criteria = Object.entries(evaluation.criteria);
  return (
    <Card className="flex flex-col gap-3" data-testid="maker-evaluation">
      <div className="flex flex-col gap-1">
        <CardTitle>{t('title', { brand })}</CardTitle>
        <p className="text-muted text-sm">{scope}</p>
      </div>
      {evaluation.mark === null ? null : (
        <p className="font-semibold text-2xl tabular-nums" data-testid="maker-evaluation-mark">
          {mark(evaluation.mark)}
        </p>
      )}
      {criteria.length === 0 ? null : (
        <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
          {criteria.map(([name, value]) => (
            <div key={name} className="contents">
              <dt className="text-muted">{criterionName(name)}</dt>
              <dd className="text-right tabular-nums">{mark(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="text-muted text-xs">{t('note', { brand })}</p>
    </Card>
  );
}
