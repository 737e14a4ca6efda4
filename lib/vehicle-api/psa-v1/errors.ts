import 'server-only';

// The typed failures of the PSA v1 adapter. The gateway (IBM API Connect) answers refusals as
// `{httpCode, httpMessage, moreInformation}` (vehicle-apis.md §7, schema/errors.ts); each status the
// worker must react to differently gets its own class, so the worker decides by `instanceof`
// (or `code`), never by parsing messages:
// - 401: the application key is wrong or revoked. No retry helps; an operator must fix the
//   configuration (v1 has no per-owner grant to renew, unlike v4's ReauthorizationNeededError).
// - 404: this VIN + contract names no car the key may read, or the car has no data of that kind yet
//   (v1 answers both the same way, so a key cannot probe for VINs).
// - 429: rate limited; `retryAfterMs` from `Retry-After` when the gateway sends it.
// - an answer that is not JSON or does not match Kinetic's schema: malformed, never trusted.
// - anything else (400, 5xx): the upstream refused or failed.

export type PsaV1ErrorCode = 'configuration' | 'not_found' | 'rate_limited' | 'malformed' | 'upstream';

export abstract class PsaV1Error extends Error {
  readonly provider = 'psa-v1';
  abstract readonly code: PsaV1ErrorCode;

  constructor(
    /** The operation, e.g. `GET /running/data/{vin}` (never the URL: it carries the API key). */
    readonly operation: string,
    /** The HTTP status, or null when there was none to speak of (malformed 200). */
    readonly status: number | null,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${message}`, options);
    this.name = new.target.name;
  }
}

/** 401: the API key (`client_id`) is not accepted. A configuration problem, not a transient one. */
export class PsaV1ConfigurationError extends PsaV1Error {
  readonly code = 'configuration';
}

/** 404: no such car for this key and contract, or no data of that kind for it yet. */
export class PsaV1NotFoundError extends PsaV1Error {
  readonly code = 'not_found';
}

/** 429: too many calls. `retryAfterMs` is null when the gateway gave no usable `Retry-After`. */
export class PsaV1RateLimitedError extends PsaV1Error {
  readonly code = 'rate_limited';

  constructor(
    operation: string,
    readonly retryAfterMs: number | null,
    message: string,
  ) {
    super(operation, 429, message);
  }
}

/** The answer was not JSON, was cut off, or does not match the schema: nothing of it is used. */
export class PsaV1MalformedAnswerError extends PsaV1Error {
  readonly code = 'malformed';
}

/** Any other refusal or failure (400, 405, 5xx, an unexpected status). */
export class PsaV1UpstreamError extends PsaV1Error {
  readonly code = 'upstream';
}

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent
 * or unreadable.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}
