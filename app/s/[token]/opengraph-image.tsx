import { ImageResponse } from 'next/og';
import { getTranslations } from 'next-intl/server';
import { bandOf, type ScoreBand } from '@/components/scores/score-band';
import { getPublicScoreCard } from '@/lib/sharing/public-card';

// The preview messaging apps show for a shared link (Open Graph and Twitter card), drawn on the
// server with the font next/og bundles: nothing is fetched. The same allow-list as the page.

export const size = { width: 1200, height: 630 };
export const contentType = 'image/png';
export const alt = 'A driving score card on Kinetic';

/** The light theme's ok, warn and danger colours (app/globals.css): an image has no CSS variables. */
const BAND_COLOURS: Record<ScoreBand, string> = { calm: '#15803d', normal: '#b45309', dynamic: '#b91c1c' };

export default async function Image({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const card = await getPublicScoreCard(token);
  if (!card) return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  const t = await getTranslations('share.page');
  const score = card.score;
  const colour = score === null ? '#475569' : BAND_COLOURS[bandOf(score)];
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
    </div>,
    { ...size, headers: { 'Cache-Control': 'no-store' } },
  );
}
