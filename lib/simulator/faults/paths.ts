import { isSimBrand } from '../world/brands';

// Which request paths faults may touch, and the path globs of fault rules. Paths are the raw
// (still percent-encoded) URL path, the same text the route families match on.

const V4_PREFIX = '/connectedcar/v4';
const VEHICLE_PATH = /^\/connectedcar\/v4\/user\/vehicles\/([^/]+)(\/.*)?$/;
// `/am/oauth2/…` or `/{brand}/am/oauth2/…`, as the identity providers route them.
const OAUTH_PATH = /^(?:\/([^/]+))?\/am\/oauth2(?:\/|$)/;

/**
 * The vehicle cloud's own paths (`/connectedcar/**`, `/am/oauth2/**`, `/{brand}/am/oauth2/**`).
 * Never `/sim/*` or `/health`: tests must be able to reach the switches and the health check
 * whatever faults are on.
 */
export function isFaultablePath(path: string): boolean {
  if (path.startsWith('/sim/') || path === '/sim' || path === '/health') return false;
  if (path === '/connectedcar' || path.startsWith('/connectedcar/')) return true;
  const oauth = OAUTH_PATH.exec(path);
  if (!oauth) return false;
  const brand = oauth[1];
  return brand === undefined || isSimBrand(brand);
}

export function isV4Path(path: string): boolean {
  return path === V4_PREFIX || path.startsWith(`${V4_PREFIX}/`);
}

/** The vehicle id of `/connectedcar/v4/user/vehicles/{id}[/…]`, percent-decoded; null elsewhere. */
export function vehicleIdOf(path: string): string | null {
  const segment = VEHICLE_PATH.exec(path)?.[1];
  if (segment === undefined) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** `/connectedcar/v4/user/vehicles/{id}/…`: the car's data (status, trips…), not the car itself. */
export function isVehicleSubResource(path: string): boolean {
  const rest = VEHICLE_PATH.exec(path)?.[2];
  return rest !== undefined && rest !== '/';
}

/**
 * A path glob as a matcher: `*` is any run of characters within one segment, a `**` segment is
 * any number of segments (none included: `/connectedcar/**` matches `/connectedcar` too). Every
 * other character is literal.
 */
export function compileGlob(glob: string): (path: string) => boolean {
  const segments = glob.split('/').slice(1);
  const source = segments
    .map((segment) =>
      segment === '**'
        ? '(?:/[^/]*)*'
        : `/${segment
            .split('*')
            .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*')}`,
    )
    .join('');
  const pattern = new RegExp(`^${source}$`);
  return (path) => pattern.test(path);
}
