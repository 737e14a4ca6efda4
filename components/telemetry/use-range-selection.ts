'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useState } from 'react';
import { parseSelection, type RangeSelection, selectionParams } from '@/lib/telemetry-view/range';

const RANGE_KEYS = ['range', 'from', 'to'];

/**
 * The chosen range, kept in the URL (`?range=day&from=2026-11-26`) so it can be shared and the
 * server page can prefetch it. Written with history.pushState, which Next's router follows without
 * a server round trip (the client fetches the new range itself), and Back returns to the last one.
 * With `inUrl` false (a trip page), the range stays in component state.
 */
export function useRangeSelection(
  initial: RangeSelection,
  inUrl: boolean,
): [RangeSelection, (next: RangeSelection) => void] {
  const searchParams = useSearchParams();
  const [local, setLocal] = useState(initial);
  const fromUrl = inUrl ? parseSelection(searchParams) : null;
  const selection = inUrl ? (fromUrl ?? initial) : local;

  const select = useCallback(
    (next: RangeSelection) => {
      if (!inUrl) {
        setLocal(next);
        return;
      }
      const params = new URLSearchParams(window.location.search);
      for (const key of RANGE_KEYS) params.delete(key);
      for (const [key, value] of Object.entries(selectionParams(next))) params.set(key, value);
      window.history.pushState(null, '', `${window.location.pathname}?${params.toString()}`);
    },
    [inUrl],
  );
  return [selection, select];
}
