import { randomUUID } from 'node:crypto';
import { type ServerResponse, STATUS_CODES } from 'node:http';
import { sendJson } from '../http';

// The two error shapes of PSA Connected Car v4 (vehicle-apis.md §3.4):
// - the API backend answers `{ code, uuid, message, timestamp }`, `code` being the HTTP status
//   followed by two API-specific digits (developer portal "Errors" page; a real 404 body observed
//   as `{"uuid":…,"code":40410,"message":"No vehicule found"}` with content type hal+json);
// - the API gateway in front of it (IBM API Connect) refuses credentials and rate with
//   `{ httpCode, httpMessage, moreInformation }` as application/json, which community clients
//   match on ("Token is invalid", "Invalid client id or secret.").

export const V4_ERRORS = {
  invalidParameter: { status: 400, code: 40001 },
  repeatedParameter: { status: 400, code: 40002 },
  invalidPageToken: { status: 400, code: 40003 },
  invalidPathParameter: { status: 400, code: 40004 },
  noAccessToVehicle: { status: 403, code: 40301 },
  missingScope: { status: 403, code: 40302 },
  resourceNotFound: { status: 404, code: 40400 },
  noVehicleFound: { status: 404, code: 40410 },
  noDataForContext: { status: 404, code: 40499 },
  methodNotAllowed: { status: 405, code: 40500 },
  payloadTooLarge: { status: 413, code: 41300 },
  internal: { status: 500, code: 50000 },
} as const;

export type V4ErrorKind = keyof typeof V4_ERRORS;

/** A refusal by the API backend, answered in the portal's `{ code, uuid, message, timestamp }` form. */
export class V4ApiError extends Error {
  readonly status: number;
  readonly code: number;

  constructor(
    kind: V4ErrorKind,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = V4_ERRORS[kind].status;
    this.code = V4_ERRORS[kind].code;
  }
}

/** A refusal by the API gateway, answered in API Connect's `{ httpCode, httpMessage, moreInformation }` form. */
export class V4GatewayError extends Error {
  constructor(
    readonly status: 401 | 403 | 429,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const GATEWAY_MESSAGES = {
  invalidClient: 'Invalid client id or secret.',
  invalidToken: 'Token is invalid',
  securityChecks:
    'Cannot pass the security checks that are required by the target API or operation, Enable debug headers for more details.',
  rateLimited: 'Rate Limit exceeded',
  quotaExceeded: 'Quota limit exceeded',
} as const;

/** IBM API Connect's refusal body, shared by the v4 gateway and the v1 API it also fronted. */
export function apiConnectErrorBody(status: number, message: string) {
  return { httpCode: String(status), httpMessage: STATUS_CODES[status] ?? 'Error', moreInformation: message };
}

export function v4ErrorBody(code: number, message: string, now: number) {
  return { code, uuid: randomUUID(), message, timestamp: new Date(now).toISOString() };
}

/** Sends either error shape; `headers` are the response's own (rate limit) headers. */
export function sendV4Error(
  response: ServerResponse,
  error: V4ApiError | V4GatewayError,
  now: number,
  headers: Record<string, string>,
) {
  if (error instanceof V4GatewayError) {
    return sendJson(response, error.status, apiConnectErrorBody(error.status, error.message), {
      ...headers,
      ...error.headers,
    });
  }
  return sendJson(response, error.status, v4ErrorBody(error.code, error.message, now), {
    'content-type': 'application/hal+json',
    ...headers,
    ...error.headers,
  });
}
