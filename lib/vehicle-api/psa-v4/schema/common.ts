import 'server-only';
import { z } from 'zod';

// Building blocks shared by every PSA Connected Car v4 response schema.
//
// Reading rules (vehicle-apis.md §3.6, spec "API Usage / Data output format"): a client must accept missing
// fields and unknown fields. So every object here is a plain `z.object`, which strips unknown keys instead
// of rejecting them, and only the fields the 4.17 spec lists under `required` are required.

/** RFC 3339 date-time with seconds and a `Z` or `±hh:mm` offset; fractions allowed (portal errors use `.000Z`). */
export const psaV4DateTimeSchema = z.iso.datetime({ offset: true });

/** ISO 8601 duration such as `PT0S`, `PT16H`, `PT6H30M` (charging times, program start/end times). */
export const psaV4DurationSchema = z.iso.duration();

/**
 * HAL Link object (spec `Link`/`link`). `href` is kept as a non-empty string rather than a parsed URL: HAL
 * allows URI templates (`templated: true`) and relative references, neither of which `new URL()` accepts.
 */
export const psaV4LinkSchema = z.object({
  href: z.string().min(1),
  templated: z.boolean().optional(),
  type: z.string().optional(),
  deprecation: z.string().optional(),
  name: z.string().optional(),
  title: z.string().optional(),
  profile: z.string().optional(),
  hreflang: z.string().optional(),
});
export type PsaV4Link = z.infer<typeof psaV4LinkSchema>;

const optionalLink = psaV4LinkSchema.optional();

/**
 * Pagination links of a collection (spec `Tab_Links`). The spec lists `first` as required, but the
 * project's own example payloads (vehicle-apis.md §6, collisions) omit it and Kinetic only ever follows
 * `next`, so a missing `first` is tolerated rather than failing the whole page.
 */
export const psaV4CollectionLinksSchema = z.object({
  self: psaV4LinkSchema,
  first: optionalLink,
  next: optionalLink,
  prev: optionalLink,
  last: optionalLink,
});
export type PsaV4CollectionLinks = z.infer<typeof psaV4CollectionLinksSchema>;

const count = z.int().nonnegative();

/**
 * Collection envelope (spec `CollectionResult`): `{ _links, total, totalPage, currentPage, _embedded: { <key>: T[] } }`.
 * The embedded key is case-sensitive and differs per resource (`vehicles`, `alerts`, `Collisions`, …). The
 * array itself is optional because the spec only requires `_embedded`, not what it holds (WayPoints excepted).
 */
export function psaV4CollectionSchema<K extends string, T extends z.ZodType>(key: K, item: T) {
  const embedded = { [key]: z.array(item).optional() } as { [P in K]: z.ZodOptional<z.ZodArray<T>> };
  return z.object({
    _links: psaV4CollectionLinksSchema,
    total: count,
    totalPage: count,
    currentPage: count,
    _embedded: z.object(embedded),
  });
}
