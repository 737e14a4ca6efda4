import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False on the server and while React hydrates the server's HTML, true from the first render
 * after. For text that depends on state the server cannot share: TanStack Query marks a query
 * "fetching" in the very first client render when its prefetched data went stale on the way
 * (a slow phone, a busy machine), and text that differs from the server's breaks hydration.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
