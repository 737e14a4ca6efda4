'use client';

import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { type FormEvent, useId, useState } from 'react';
import { Button, buttonClasses } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import {
  MAX_SPAN_MS,
  MIN_SPAN_MS,
  type RangePreset,
  type RangeSelection,
  type ResolvedRange,
} from '@/lib/telemetry-view/range';
import { fromDateTimeLocal, toDateTimeLocal } from '@/lib/time/zone';

type ChoosablePreset = Exclude<RangePreset, 'trip'>;

const PRESETS: ChoosablePreset[] = ['live', 'day', 'week', 'month', 'year', 'custom'];

/** Period presets, previous/next, and the custom range's two datetime-local inputs. */
export function RangeControls({
  selection,
  range,
  timeZone,
  rangeText,
  offerLive,
  canGoNext,
  onPreset,
  onShift,
  onCustom,
  onTrip,
}: {
  selection: RangeSelection;
  range: ResolvedRange;
  timeZone: string;
  rangeText: string;
  offerLive: boolean;
  canGoNext: boolean;
  onPreset: (preset: ChoosablePreset) => void;
  onShift: (direction: -1 | 1) => void;
  onCustom: (from: number, to: number) => void;
  /** Back to the trip's own range (on a trip page); null elsewhere. */
  onTrip: (() => void) | null;
}) {
  const t = useTranslations('telemetry');
  const presets = offerLive ? PRESETS : PRESETS.filter((preset) => preset !== 'live');
  const isLive = selection.preset === 'live';

  return (
    <div className="flex flex-col gap-3">
      <fieldset className="flex flex-wrap gap-1.5 border-0 p-0">
        <legend className="sr-only">{t('range.label')}</legend>
        {onTrip ? (
          <Button
            variant={selection.preset === 'trip' ? 'primary' : 'secondary'}
            aria-pressed={selection.preset === 'trip'}
            className="px-3"
            onClick={onTrip}
          >
            {t('range.trip')}
          </Button>
        ) : null}
        {presets.map((preset) => {
          const active = selection.preset === preset;
          return (
            <Button
              key={preset}
              variant={active ? 'primary' : 'secondary'}
              aria-pressed={active}
              className="px-3"
              onClick={() => onPreset(preset)}
            >
              {t(`range.${preset}`)}
            </Button>
          );
        })}
      </fieldset>

      <div className="flex items-center gap-2">
        <Button
          variant="secondary"
          className="w-11 px-0"
          aria-label={t('range.previous')}
          title={t('range.previous')}
          onClick={() => onShift(-1)}
        >
          <ChevronLeft aria-hidden="true" className="size-5" />
        </Button>
        {/* Formatted by Node's ICU on the server and the browser's on the client: the two can space a
            date range differently (thin or no-break spaces), which is not a real mismatch. */}
        <p
          className="min-w-0 flex-1 text-center font-medium text-fg text-sm"
          data-testid="range-text"
          suppressHydrationWarning
        >
          {rangeText}
        </p>
        <Button
          variant="secondary"
          className="w-11 px-0"
          aria-label={t('range.next')}
          title={t('range.next')}
          disabled={!canGoNext || isLive}
          onClick={() => onShift(1)}
        >
          <ChevronRight aria-hidden="true" className="size-5" />
        </Button>
      </div>

      {selection.preset === 'custom' ? (
        <CustomRange
          key={`${range.from}-${range.to}`}
          range={range}
          timeZone={timeZone}
          onCustom={onCustom}
        />
      ) : null}
    </div>
  );
}

function CustomRange({
  range,
  timeZone,
  onCustom,
}: {
  range: ResolvedRange;
  timeZone: string;
  onCustom: (from: number, to: number) => void;
}) {
  const t = useTranslations('telemetry');
  const id = useId();
  const [from, setFrom] = useState(() => toDateTimeLocal(range.from, timeZone));
  const [to, setTo] = useState(() => toDateTimeLocal(range.to, timeZone));
  const [invalid, setInvalid] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    // The inputs show the owner's zone (their setting), whatever zone the browser is in.
    const start = fromDateTimeLocal(from, timeZone);
    const end = fromDateTimeLocal(to, timeZone);
    if (start === null || end === null || end - start < MIN_SPAN_MS || end - start > MAX_SPAN_MS) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    onCustom(start, end);
  }

  const inputClasses = 'min-h-11 rounded-lg border border-border bg-surface px-3 py-2 text-base text-fg';
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${id}-from`} className="font-medium text-fg text-sm">
          {t('range.from')}
        </label>
        <input
          id={`${id}-from`}
          type="datetime-local"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-error` : undefined}
          className={cn(inputClasses, invalid && 'border-danger')}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${id}-to`} className="font-medium text-fg text-sm">
          {t('range.to')}
        </label>
        <input
          id={`${id}-to`}
          type="datetime-local"
          value={to}
          onChange={(event) => setTo(event.target.value)}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-error` : undefined}
          className={cn(inputClasses, invalid && 'border-danger')}
        />
      </div>
      <button type="submit" className={buttonClasses('primary')}>
        {t('range.apply')}
      </button>
      {invalid ? (
        <p id={`${id}-error`} role="alert" className="w-full text-danger text-sm">
          {t('range.invalid')}
        </p>
      ) : null}
    </form>
  );
}
