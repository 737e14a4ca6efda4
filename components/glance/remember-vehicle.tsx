'use client';

import { useEffect } from 'react';
import { writeBrowserCookie } from '@/lib/browser/cookies';
import { LAST_VEHICLE_COOKIE, LAST_VEHICLE_MAX_AGE_S } from './last-vehicle';

/**
 * Remembers the vehicle whose page is open, so the overview (`/`) opens it next time. A cookie
 * set from the browser after the page shows: a Server Component render must not set cookies, and
 * a route round trip would cost a request on every page view. Renders nothing.
 */
export function RememberVehicle({ vehicleId }: { vehicleId: string }) {
  useEffect(() => {
    writeBrowserCookie(LAST_VEHICLE_COOKIE, vehicleId, LAST_VEHICLE_MAX_AGE_S);
  }, [vehicleId]);
  return null;
}
