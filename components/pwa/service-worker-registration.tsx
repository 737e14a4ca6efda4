'use client';

import { useEffect } from 'react';

/**
 * Registers public/sw.js once the page has loaded, off the critical path. `version` (the build
 * id) is part of the script URL, so a new deploy installs a new worker that drops older caches.
 */
export function ServiceWorkerRegistration({ version }: { version: string }) {
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const register = () => {
      navigator.serviceWorker
        .register(`/sw.js?v=${encodeURIComponent(version)}`, { scope: '/' })
        .catch(() => {
          // No worker (private mode, blocked by policy): the app works the same, just not offline.
        });
    };
    if (document.readyState === 'complete') register();
    else {
      window.addEventListener('load', register, { once: true });
      return () => window.removeEventListener('load', register);
    }
  }, [version]);
  return null;
}
