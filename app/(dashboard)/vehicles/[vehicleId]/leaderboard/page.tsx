import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { BoardTable } from '@/components/leaderboards/board-table';
import { CreateGroupForm, RenewInviteForm } from '@/components/leaderboards/group-invite-forms';
import { SharePanel } from '@/components/sharing/share-panel';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { cn } from '@/lib/cn';
import { getDb } from '@/lib/db';
import { peersWarmUp } from '@/lib/health';
import { BOARD_PAGE_SIZE, getOwnerBoard } from '@/lib/leaderboards/board';
import { type BoardRef, formatBoardRef, MIN_PUBLISHED_PARTICIPANTS } from '@/lib/leaderboards/board-ref';
import { parseBoardSearch } from '@/lib/leaderboards/board-search';
import { groupsOfVehicle, MAX_GROUP_NAME } from '@/lib/leaderboards/groups';
import { listShareLinks } from '@/lib/sharing/share-links';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';
import {
  joinPublicBoardsAction,
  leaveGroupAction,
  leavePublicBoardsAction,
  renewPseudonymAction,
} from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('leaderboard');
  return { title: t('title') };
}

type Props = {
  params: Promise<{ vehicleId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function LeaderboardPage({ params, searchParams }: Props) {
  const [{ vehicleId }, search] = await Promise.all([params, searchParams]);
  // A board that does not parse, or a group this car is not in, is the same 404 as a missing one.
  const wanted = parseBoardSearch(search);
  if (!wanted) notFound();
  const { ref, offset } = wanted;
  const user = await requireUser();
  const db = getDb();
  const now = Date.now();
  // One round of independent reads (the layout has already checked ownership; this is cached).
  const [vehicle, board, groups, links, peers, t, format] = await Promise.all([
    getOwnedVehicleOrNotFound(vehicleId),
    getOwnerBoard(db, user.userId, vehicleId, ref, { offset, now }),
    groupsOfVehicle(db, user.userId, vehicleId),
    listShareLinks(db, user.userId, vehicleId, now),
    peersWarmUp(),
    getTranslations('leaderboard'),
    getFormatter(),
  ]);
  if (!board) notFound();
  const base = `/vehicles/${vehicle.id}/leaderboard`;
  const href = (target: BoardRef, at = 0) =>
    `${base}?board=${formatBoardRef(target)}${at > 0 ? `&offset=${at}` : ''}`;
  const boards: Array<{ ref: BoardRef; label: string }> = [
    { ref: { kind: 'peer' }, label: t('board.peer') },
    { ref: { kind: 'model' }, label: t('board.model') },
    { ref: { kind: 'everyone' }, label: t('board.everyone') },
    ...groups.map((group) => ({ ref: { kind: 'group', groupId: group.id } as const, label: group.name })),
  ];
  const group = ref.kind === 'group' ? groups.find((item) => item.id === ref.groupId) : undefined;
  const { me } = board;
  const linkLabels = { copy: t('groups.copy'), copied: t('groups.copied') };

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
        <p className="text-muted text-sm">{t('intro', { vehicle: vehicle.label })}</p>
      </div>

      <nav aria-label={t('boards')} className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
        <ul className="flex min-w-max gap-2">
          {boards.map((item) => {
            const current = formatBoardRef(item.ref) === board.ref;
            return (
              <li key={formatBoardRef(item.ref)}>
                <Link
                  href={href(item.ref)}
                  aria-current={current ? 'page' : undefined}
                  className={cn(
                    'flex min-h-11 items-center rounded-full border px-4 text-sm',
                    current
                      ? 'border-accent bg-accent text-accent-fg'
                      : 'border-border text-fg hover:bg-surface-2',
                  )}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      <Card className="flex flex-col gap-3" data-testid="leaderboard">
        <BoardTable board={board} />
        <p className="text-sm" data-testid="leaderboard-me">
          {me.rank !== null && me.percentile !== null
            ? t('me', {
                rank: format.number(me.rank),
                ranked: format.number(board.ranked),
                percentile: format.number(me.percentile),
              })
            : t('meUnranked')}
        </p>
        {peers !== null && peers.synced < peers.total && ref.kind !== 'group' ? (
          <p className="text-muted text-sm" data-testid="leaderboard-peers-loading">
            {t('peersLoading', { synced: peers.synced, total: peers.total })}
          </p>
        ) : null}
        {board.published && (offset > 0 || board.hasMore) ? (
          <div className="flex gap-3">
            {offset > 0 ? (
              <Link
                className="inline-flex min-h-11 items-center text-accent text-sm"
                href={href(ref, Math.max(0, offset - BOARD_PAGE_SIZE))}
              >
                {t('previous')}
              </Link>
            ) : null}
            {board.hasMore ? (
              <Link
                className="inline-flex min-h-11 items-center text-accent text-sm"
                href={href(ref, offset + BOARD_PAGE_SIZE)}
              >
                {t('next')}
              </Link>
            ) : null}
          </div>
        ) : null}
      </Card>

      {ref.kind === 'group' ? (
        <Card className="flex flex-col gap-3" data-testid="group-membership">
          <CardTitle>{group?.name}</CardTitle>
          <p className="text-muted text-sm">{t('groups.as', { pseudonym: me.pseudonym ?? '' })}</p>
          <div className="flex flex-wrap items-start gap-3">
            {group?.mine ? (
              <RenewInviteForm
                vehicleId={vehicle.id}
                groupId={ref.groupId}
                labels={{
                  ...linkLabels,
                  link: t('groups.renewed', { name: group.name }),
                  renew: t('groups.renew'),
                  renewLabel: t('groups.renewLabel', { name: group.name }),
                }}
              />
            ) : null}
            <form action={leaveGroupAction}>
              <input type="hidden" name="vehicleId" value={vehicle.id} />
              <input type="hidden" name="groupId" value={ref.groupId} />
              <Button
                type="submit"
                variant="secondary"
                aria-label={t('groups.leaveLabel', { name: group?.name ?? '' })}
              >
                {t('groups.leave')}
              </Button>
            </form>
          </div>
        </Card>
      ) : (
        <Card className="flex flex-col gap-3" data-testid="listing">
          <CardTitle>{t('listing.title')}</CardTitle>
          <p className="text-sm">
            {me.listed ? t('listing.on', { pseudonym: me.pseudonym ?? '' }) : t('listing.off')}
          </p>
          <div className="flex flex-wrap gap-3">
            {me.listed ? (
              <>
                <form action={renewPseudonymAction}>
                  <input type="hidden" name="vehicleId" value={vehicle.id} />
                  <Button type="submit" variant="secondary">
                    {t('listing.renew')}
                  </Button>
                </form>
                <form action={leavePublicBoardsAction}>
                  <input type="hidden" name="vehicleId" value={vehicle.id} />
                  <Button type="submit" variant="secondary">
                    {t('listing.leave')}
                  </Button>
                </form>
              </>
            ) : (
              <form action={joinPublicBoardsAction}>
                <input type="hidden" name="vehicleId" value={vehicle.id} />
                <Button type="submit">{t('listing.join')}</Button>
              </form>
            )}
          </div>
        </Card>
      )}

      <Card className="flex flex-col gap-3" data-testid="groups">
        <CardTitle>{t('groups.title')}</CardTitle>
        <p className="text-muted text-sm">{t('groups.intro', { min: MIN_PUBLISHED_PARTICIPANTS })}</p>
        {groups.length === 0 ? (
          <p className="text-sm">{t('groups.none')}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-border">
            {groups.map((item) => (
              <li
                key={item.id}
                className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-2 text-sm"
              >
                <span>
                  <span className="font-medium">{item.name}</span>
                  <span className="text-muted">
                    {' · '}
                    {t('groups.members', { members: item.members })}
                  </span>
                </span>
                <Link
                  className="inline-flex min-h-11 items-center text-accent"
                  href={href({ kind: 'group', groupId: item.id })}
                >
                  {t('groups.open')}
                </Link>
              </li>
            ))}
          </ul>
        )}
        <CreateGroupForm
          vehicleId={vehicle.id}
          maxName={MAX_GROUP_NAME}
          labels={{
            ...linkLabels,
            link: t('groups.invite'),
            name: t('groups.name'),
            create: t('groups.create'),
            creating: t('groups.creating'),
          }}
        />
      </Card>

      <SharePanel
        vehicleId={vehicle.id}
        board={board.ref}
        links={links.filter((link) => link.kind === 'leaderboard' && link.board === board.ref)}
        heading={{ title: t('share.title'), intro: t('share.intro', { min: MIN_PUBLISHED_PARTICIPANTS }) }}
      />
    </div>
  );
}
