import { V4ApiError } from './errors';

// Query parameters of the v4 read endpoints (spec components/parameters). Unknown parameters are
// ignored, as the real backend does not list what it rejects; known ones are validated strictly.

/** A single-valued parameter; giving it twice is ambiguous and refused. */
export function singleParam(url: URL, name: string): string | undefined {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) {
    throw new V4ApiError('repeatedParameter', `Query parameter ${name} must be given only once.`);
  }
  return values[0];
}

// The spec writes the pattern `\w(-\w)?`; real values are `fr-FR`, `en_GB`, so `\w+(-\w+)?`.
const LOCALE_PATTERN = /^\w{1,16}(?:-\w{1,16})?$/;

export function parseLocale(url: URL): string | undefined {
  const locale = singleParam(url, 'locale');
  if (locale !== undefined && !LOCALE_PATTERN.test(locale)) {
    throw new V4ApiError('invalidParameter', 'Invalid query parameter locale: expected e.g. "fr-FR".');
  }
  return locale;
}

export const COUNTRIES = ['CL', 'BR', 'AR'] as const;

/** `country` (CountryEnum): accepted and validated; the call-centre data it unlocks is not simulated. */
export function parseCountry(url: URL): string | undefined {
  const country = singleParam(url, 'country');
  if (country !== undefined && !(COUNTRIES as readonly string[]).includes(country)) {
    throw new V4ApiError(
      'invalidParameter',
      `Invalid query parameter country: expected one of ${COUNTRIES.join(', ')}.`,
    );
  }
  return country;
}

export const VEHICLE_EXTENSIONS = ['onboardCapabilities', 'branding', 'pictures'] as const;
export type VehicleExtension = (typeof VEHICLE_EXTENSIONS)[number];

/**
 * `extension` (VehicleExtensionType, 1..3 items): repeated (`extension=a&extension=b`) as the
 * spec's exploded array, or comma-separated as older generated clients send it.
 */
export function parseVehicleExtensions(url: URL): VehicleExtension[] {
  const values = url.searchParams.getAll('extension').flatMap((value) => value.split(','));
  const extensions: VehicleExtension[] = [];
  for (const value of values) {
    if (!(VEHICLE_EXTENSIONS as readonly string[]).includes(value)) {
      throw new V4ApiError(
        'invalidParameter',
        `Invalid query parameter extension: expected ${VEHICLE_EXTENSIONS.join(', ')}.`,
      );
    }
    if (!extensions.includes(value as VehicleExtension)) extensions.push(value as VehicleExtension);
  }
  return extensions;
}

/** `vinPrefix`: 1 to 17 VIN characters; matching ignores case. */
export function parseVinPrefix(url: URL): string | undefined {
  const prefix = singleParam(url, 'vinPrefix');
  if (prefix === undefined) return undefined;
  if (!/^[A-Za-z0-9]{1,17}$/.test(prefix)) {
    throw new V4ApiError(
      'invalidParameter',
      'Invalid query parameter vinPrefix: expected 1 to 17 VIN characters.',
    );
  }
  return prefix.toUpperCase();
}
