import { getFormatter, getTranslations } from 'next-intl/server';
import { revokeShareLinkAction } from '@/app/(dashboard)/vehicles/[vehicleId]/score/actions';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { DEFAULT_EXPIRY_DAYS, EXPIRY_CHOICES_DAYS, type ShareLinkSummary } from '@/lib/sharing/share-links';
import { CreateShareLinkForm } from './create-share-link-form';

/**
 * The owner's share links of one car's score card, or of one board (`board`, with its own title
 * and intro): what a link shows, a new one, and the list with revoke.
 */
export async function SharePanel({
  vehicleId,
  links,
  board,
  heading,
}: {
  vehicleId: string;
  links: ShareLinkSummary[];
  board?: string;
  heading?: { title: string; intro: string };
}) {
  const [t, format] = await Promise.all([getTranslations('share.owner'), getFormatter()]);
  return (
    <Card className="flex flex-col gap-4" data-testid="share-panel">
      <div className="flex flex-col gap-1">
        <CardTitle>{heading?.title ?? t('title')}</CardTitle>
        <p className="text-muted text-sm">{heading?.intro ?? t('intro')}</p>
      </div>
      <CreateShareLinkForm
        vehicleId={vehicleId}
        board={board}
        defaultExpiry={String(DEFAULT_EXPIRY_DAYS)}
        labels={{
          expiry: t('expiry'),
          choices: [
            ...EXPIRY_CHOICES_DAYS.map((days) => ({ value: String(days), label: t('days', { days }) })),
            { value: 'never', label: t('never') },
          ],
          create: t('create'),
          creating: t('creating'),
          created: t('created'),
          copy: t('copy'),
          copied: t('copied'),
        }}
      />
      <div className="flex flex-col gap-2">
        <h3 className="font-semibold text-sm">{t('links')}</h3>
        {links.length === 0 ? (
          <p className="text-muted text-sm">{t('none')}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-border" data-testid="share-links">
            {links.map((link) => (
              <li
                key={link.id}
                className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-2 text-sm"
              >
                <span>
                  <span className="font-medium" data-testid="share-link-pseudonym">
                    {link.pseudonym}
                  </span>
                  <span className="text-muted">
                    {' · '}
                    {t(`status.${link.status}`)}
                    {link.status === 'active'
                      ? ` · ${link.expiresAt === null ? t('noExpiry') : t('expires', { date: format.dateTime(link.expiresAt, { dateStyle: 'medium' }) })}`
                      : null}
                  </span>
                </span>
                {link.status === 'active' ? (
                  <form action={revokeShareLinkAction}>
                    <input type="hidden" name="vehicleId" value={vehicleId} />
                    <input type="hidden" name="linkId" value={link.id} />
                    <Button
                      type="submit"
                      variant="secondary"
                      aria-label={t('revokeLabel', { pseudonym: link.pseudonym })}
                    >
                      {t('revoke')}
                    </Button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
