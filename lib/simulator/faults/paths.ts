import { isSimBrand } from '../world/brands';

// Which request paths faults may touch, and the path globs of fault rules. Paths are the raw
// (still percent-encoded) URL path, the same text the route families match on.

const V4_PREFIX = '/connectedcar/v4';
const V1_PREFIX = '/dev/connectedcar/v1';
/** A VIN segment of a v1 path (ISO 3779 characters). */
const V1_VIN_SEGMENT = /^[A-HJ-NPR-Z0-9]{17}$/;
const VEHICLE_PATH = /^\/connectedcar\/v4\/user\/vehicles\/([^/]+)(\/.*)?$/;
// `/am/oauth2/…` or `/{brand}/am/oauth2/…`, as the identity providers route them.
const OAUTH_PATH = /^(?:\/([^/]+))?\/am\/oauth2(?:\/|$)/;

/**
 * The vehicle cloud's own paths (`/connectedcar/**`, `/dev/connectedcar/**` for v1,
 * `/am/oauth2/**`, `/{brand}/am/oauth2/**`).
 * Never `/sim/*` or `/health`: tests must be able to reach the switches and the health check
 * whatever faults are on.
 */
export function isFaultablePath(path: string): boolean {
  if (path.startsWith('/sim/') || path === '/sim' || path === '/health') return false;
  if (isApiPath(path)) return true;
  const oauth = OAUTH_PATH.exec(path);
  if (!oauth) return false;
  const brand = oauth[1];
  return brand === undefined || isSimBrand(brand);
}

/** The identity providers' token endpoint (`/am/oauth2/access_token`, `/{brand}/am/oauth2/access_token`). */
export function isTokenEndpointPath(path: string): boolean {
  const oauth = OAUTH_PATH.exec(path);
  return oauth !== null && path === `${oauth[0]}access_token` && isFaultablePath(path);
}

/** Paths answered in the APIs' own shapes (v4 and v1), as opposed to the identity providers'. */
export function isApiPath(path: string): boolean {
  return (
    path === '/connectedcar' ||
    path.startsWith('/connectedcar/') ||
    path === '/dev/connectedcar' ||
    path.startsWith('/dev/connectedcar/')
  );
}

export function isV1Path(path: string): boolean {
  return path === V1_PREFIX || path.startsWith(`${V1_PREFIX}/`);
}

/**
 * The VIN a v1 path names (`/dev/connectedcar/v1/…/{vin}[/{tripid}]`): its first segment shaped
 * like a VIN. Null elsewhere, for the referentials and for the POST list twins (their VINs are
 * in the body, which the fault layer does not read).
 */
export function v1VinOf(path: string): string | null {
  if (!isV1Path(path)) return null;
  return path.split('/').find((segment) => V1_VIN_SEGMENT.test(segment)) ?? null;
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
