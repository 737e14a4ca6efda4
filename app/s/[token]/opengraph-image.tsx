import { ImageResponse } from 'next/og';
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { boardHeading } from '@/components/leaderboards/board-heading';
import { bandOf, type ScoreBand } from '@/components/scores/score-band';
import type { PublicBoard } from '@/lib/leaderboards/board';
import { getPublicScoreCard, getSharedBoard } from '@/lib/sharing/public-card';

// The preview messaging apps show for a shared link (Open Graph and Twitter card), drawn on the
// server with the font next/og bundles: nothing is fetched. The same allow-list as the page.

export const size = { width: 1200, height: 630 };
export const contentType = 'image/png';
export const alt = 'A driving score card on Kinetic';

/** The light theme's ok, warn and danger colours (app/globals.css): an image has no CSS variables. */
const BAND_COLOURS: Record<ScoreBand, string> = { calm: '#15803d', normal: '#b45309', dynamic: '#b91c1c' };

/** The card's frame: the light theme's colours, the name in the corner, never cached. */
function preview(content: ReactNode) {
  return new ImageResponse(
    <div
      style={{
        width: '100%',
        height: '100%',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'space-between',
        padding: 72,
        background: '#f6f7f9',
        color: '#0f172a',
      }}
    >
      <div style={{ display: 'flex', fontSize: 40, color: '#1d4ed8' }}>Kinetic</div>
      {content}
    </div>,
    { ...size, headers: { 'Cache-Control': 'no-store' } },
  );
}

export default async function Image({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [card, board] = await Promise.all([getPublicScoreCard(token), getSharedBoard(token)]);
  if (board) return boardImage(board);
  if (!card) return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  const t = await getTranslations('share.page');
  const score = card.score;
  const colour = score === null ? '#475569' : BAND_COLOURS[bandOf(score)];
  return preview(
    <>
      <div style={{ display: 'flex', flexDirection: 'column' }}>
        <div style={{ display: 'flex', fontSize: 64 }}>{card.pseudonym}</div>
        <div style={{ display: 'flex', fontSize: 36, color: '#475569' }}>
          {t('car', { brand: card.vehicle.brand, model: card.vehicle.model })} · {t('period')}
        </div>
      </div>
      <div style={{ display: 'flex', alignItems: 'baseline' }}>
        <div style={{ display: 'flex', fontSize: 180, color: colour }}>
          {score === null ? '—' : String(score)}
        </div>
        <div style={{ display: 'flex', fontSize: 48, color: '#475569', marginLeft: 24 }}>/ 100</div>
      </div>
    </>,
  );
}

/** A shared board's preview: its title and, once published, its first three pseudonyms and scores. */
async function boardImage(board: PublicBoard) {
  const [t, heading] = await Promise.all([getTranslations('leaderboard'), boardHeading(board.title)]);
  const podium = board.published ? board.entries.slice(0, 3) : [];
  return preview(
    <>
      <div style={{ display: 'flex', flexDirection: 'column' }}>
        <div style={{ display: 'flex', fontSize: 60 }}>{heading}</div>
        <div style={{ display: 'flex', fontSize: 32, color: '#475569' }}>{t('shared.period')}</div>
      </div>
      <div style={{ display: 'flex', flexDirection: 'column' }}>
        {podium.length === 0 ? (
          <div style={{ display: 'flex', fontSize: 36, color: '#475569' }}>
            {t('summary', { ranked: board.ranked, participants: board.participants })}
          </div>
        ) : (
          podium.map((entry) => (
            <div key={`${entry.rank}-${entry.pseudonym}`} style={{ display: 'flex', fontSize: 40 }}>
              <div style={{ display: 'flex', width: 90, color: '#475569' }}>{entry.rank}.</div>
              <div style={{ display: 'flex', flexGrow: 1 }}>{entry.pseudonym}</div>
              <div style={{ display: 'flex', color: BAND_COLOURS[bandOf(entry.score)] }}>{entry.score}</div>
            </div>
          ))
        )}
      </div>
    </>,
  );
}
