import type { ChargePowerDto } from '@/lib/schemas/charging';

// Power over a charge as a small inline SVG (no chart library on this page): a filled line from
// zero to the peak, the time running left to right. The accessible name carries the figures.

const WIDTH = 320;
const HEIGHT = 80;
const PAD = 4;

export function sparklinePath(
  points: readonly (readonly [number, number])[],
): { line: string; area: string } | null {
  if (points.length === 0) return null;
  const first = points[0]?.[0] ?? 0;
  const last = points[points.length - 1]?.[0] ?? first;
  const peak = Math.max(...points.map(([, value]) => value));
  const span = last - first;
  const x = (at: number) => (span === 0 ? WIDTH / 2 : PAD + ((at - first) / span) * (WIDTH - 2 * PAD));
  const y = (value: number) =>
    peak <= 0 ? HEIGHT - PAD : HEIGHT - PAD - (value / peak) * (HEIGHT - 2 * PAD);
  const coords = points.map(([at, value]) => `${x(at).toFixed(1)} ${y(value).toFixed(1)}`);
  const line = `M${coords.join(' L')}`;
  const area = `${line} L${x(last).toFixed(1)} ${HEIGHT - PAD} L${x(first).toFixed(1)} ${HEIGHT - PAD} Z`;
  return { line, area };
}

export function PowerSparkline({ power, label }: { power: ChargePowerDto; label: string }) {
  const paths = sparklinePath(power.points);
  if (paths === null) return null;
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="h-20 w-full max-w-md text-accent"
      preserveAspectRatio="none"
      data-testid="power-sparkline"
    >
      <path d={paths.area} className="fill-accent/15" />
      <path
        d={paths.line}
        fill="none"
        className="stroke-accent"
        strokeWidth={2}
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}
