'use client';

import { type RefObject, useEffect, useState } from 'react';

/**
 * The content width of an element, kept current with a ResizeObserver; null until measured (the
 * server render and the first client render, which must agree), and while the element is hidden
 * it keeps the last measured width.
 */
export function useElementWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    // A hidden element measures 0: keep the last real width so hiding the charts (table view)
    // does not change the data's resolution and refetch.
    const update = (next: number) => {
      if (next > 0) setWidth(next);
    };
    update(element.getBoundingClientRect().width);
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) update(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
