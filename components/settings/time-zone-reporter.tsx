'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { browserTimeZone, hasTimeZoneCookie, writeTimeZoneCookie } from './time-zone-cookie';

/**
 * Renders nothing. The server only learns the zone from the `kinetic-tz` cookie; when it is
 * missing (a first visit, or the owner went back to "browser default"), this writes the owner's
 * stored zone or else the browser's, and re-renders the page once so its times use it.
 * Mounted once in the dashboard layout.
 */
export function TimeZoneReporter({
  storedZone,
  renderedZone,
}: {
  storedZone: string | null;
  /** The zone this page was rendered in (UTC without the cookie): no refresh when it is already right. */
  renderedZone: string;
}) {
  const router = useRouter();
  useEffect(() => {
    if (hasTimeZoneCookie()) return;
    const zone = storedZone ?? browserTimeZone();
    if (!zone) return;
    writeTimeZoneCookie(zone);
    // The cookie now exists, so a later mount does not refresh again.
    if (zone !== renderedZone) router.refresh();
  }, [router, storedZone, renderedZone]);
  return null;
}
