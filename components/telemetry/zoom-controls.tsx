'use client';

import { ChevronLeft, ChevronRight, RotateCcw, ZoomIn, ZoomOut } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { isWholeRange, MIN_ZOOM_MS, panBy, type TimeWindow, zoomBy } from '@/lib/telemetry-view/zoom';

/**
 * Zoom by buttons: the keyboard's and screen reader's way to do what a drag (desktop) or a pinch
 * (phone) does on the charts, and the phone's fallback when a pinch is awkward with one hand.
 */
export function ZoomControls({
  view,
  bounds,
  zoomedText,
  onZoom,
  onReset,
}: {
  view: TimeWindow;
  bounds: TimeWindow;
  zoomedText: string | null;
  onZoom: (window: TimeWindow) => void;
  onReset: () => void;
}) {
  const t = useTranslations('telemetry');
  const whole = isWholeRange(view, bounds);
  const atMinimum = view.to - view.from <= MIN_ZOOM_MS;
  const iconButton = 'w-11 px-0';

  return (
    <div className="flex flex-col gap-1">
      <fieldset className="flex flex-wrap items-center gap-1.5 border-0 p-0">
        <legend className="sr-only">{t('zoom.label')}</legend>
        <Button
          variant="secondary"
          className={iconButton}
          aria-label={t('zoom.out')}
          title={t('zoom.out')}
          disabled={whole}
          onClick={() => onZoom(zoomBy(view, 2, bounds))}
        >
          <ZoomOut aria-hidden="true" className="size-5" />
        </Button>
        <Button
          variant="secondary"
          className={iconButton}
          aria-label={t('zoom.in')}
          title={t('zoom.in')}
          disabled={atMinimum}
          onClick={() => onZoom(zoomBy(view, 0.5, bounds))}
        >
          <ZoomIn aria-hidden="true" className="size-5" />
        </Button>
        <Button
          variant="secondary"
          className={iconButton}
          aria-label={t('zoom.earlier')}
          title={t('zoom.earlier')}
          disabled={whole || view.from <= bounds.from}
          onClick={() => onZoom(panBy(view, -0.5, bounds))}
        >
          <ChevronLeft aria-hidden="true" className="size-5" />
        </Button>
        <Button
          variant="secondary"
          className={iconButton}
          aria-label={t('zoom.later')}
          title={t('zoom.later')}
          disabled={whole || view.to >= bounds.to}
          onClick={() => onZoom(panBy(view, 0.5, bounds))}
        >
          <ChevronRight aria-hidden="true" className="size-5" />
        </Button>
        {whole ? null : (
          <Button variant="ghost" onClick={onReset}>
            <RotateCcw aria-hidden="true" className="size-4" />
            {t('zoom.reset')}
          </Button>
        )}
      </fieldset>
      {zoomedText ? (
        <p className="text-muted text-xs" data-testid="zoom-text">
          {zoomedText}
        </p>
      ) : null}
    </div>
  );
}
