'use client';

import { WifiOff } from 'lucide-react';
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** Offline: the browser says so, or the service worker served this page from its cache. */
function isOffline(): boolean {
  return !navigator.onLine || document.documentElement.dataset.offline === '1';
}

/**
 * "Offline — showing the last known data from <time>". `message` is already translated and
 * carries the time the server rendered this page, which is the time of its data when the service
 * worker replays it offline (public/sw.js). Renders nothing while online.
 */
export function OfflineBanner({ message }: { message: string }) {
  const offline = useSyncExternalStore(subscribe, isOffline, () => false);
  if (!offline) return null;
  return (
    <p
      role="status"
      data-testid="offline-banner"
      className="flex items-center gap-2 rounded-lg border border-border bg-surface-2 px-3 py-2 text-fg text-sm"
    >
      <WifiOff aria-hidden="true" className="size-4 shrink-0" />
      {message}
    </p>
  );
}
