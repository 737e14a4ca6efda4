import { getTranslations } from 'next-intl/server';
import { SharedPageLinks } from '@/components/sharing/shared-page-links';
import { Card } from '@/components/ui/card';
import { Logo } from '@/components/ui/logo';
import type { PublicBoard } from '@/lib/leaderboards/board';
import { BoardTable } from './board-table';

/** A shared board, for anyone holding the link: the allow-listed fields only (lib/leaderboards/board.ts). */
export async function SharedBoard({ board }: { board: PublicBoard }) {
  const t = await getTranslations('leaderboard.shared');
  return (
    <main id="main" className="mx-auto flex min-h-dvh w-full max-w-md flex-col gap-6 px-4 py-8">
      <Logo />
      <Card className="flex flex-col gap-3" data-testid="shared-board">
        <p className="font-medium text-muted text-sm">{t('period')}</p>
        <BoardTable board={board} />
      </Card>
      <SharedPageLinks how={t('how')} own={t('own')} />
    </main>
  );
}
