import { ImageResponse } from 'next/og';
import { getTranslations } from 'next-intl/server';
import { getPublicScoreCard } from '@/lib/sharing/public-card';

// The preview messaging apps show for a shared link (Open Graph and Twitter card), drawn on the
// server with the font next/og bundles: nothing is fetched. The same allow-list as the page.

export const size = { width: 1200, height: 630 };
export const contentType = 'image/png';
export const alt = 'A driving score card on Kinetic';

const BAND_COLOURS = { calm: '#15803d', normal: '#b45309', dynamic: '#b91c1c' } as const;

export default async function Image({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const card = await getPublicScoreCard(token);
  if (!card) return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  const t = await getTranslations('share.page');
  const score = card.score;
  const colour =
    score === null
      ? '#475569'
      : score >= 75
        ? BAND_COLOURS.calm
        : score >= 45
          ? BAND_COLOURS.normal
          : BAND_COLOURS.dynamic;
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
