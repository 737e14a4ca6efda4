'use client';

import { useEffect } from 'react';
import { LAST_VEHICLE_COOKIE, LAST_VEHICLE_MAX_AGE_S } from './last-vehicle';

/**
 * Remembers the vehicle whose page is open, so the overview (`/`) opens it next time. A cookie
 * set from the browser after the page shows: a Server Component render must not set cookies, and
 * a route round trip would cost a request on every page view. Renders nothing.
 */
export function RememberVehicle({ vehicleId }: { vehicleId: string }) {
  useEffect(() => {
    const secure = window.location.protocol === 'https:' ? '; secure' : '';
    // The Cookie Store API is not in every browser the dashboard supports; document.cookie is.
    // biome-ignore lint/suspicious/noDocumentCookie: see above
    document.cookie = `${LAST_VEHICLE_COOKIE}=${encodeURIComponent(vehicleId)}; path=/; max-age=${LAST_VEHICLE_MAX_AGE_S}; samesite=lax${secure}`;
  }, [vehicleId]);
  return null;
}
