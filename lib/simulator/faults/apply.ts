import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimContext } from '../context';
import { sendJson } from '../http';
import {
  apiConnectErrorBody,
  GATEWAY_MESSAGES,
  sendV4Error,
  V4ApiError,
  V4GatewayError,
  v4ErrorBody,
} from '../v4/errors';
import { INVALID_TOKEN_HEADERS } from '../v4/gateway';
import { markHostileNames } from './hostile';
import { markIdTokenFault } from './id-token';
import { isApiPath, isV1Path, v1VinOf, vehicleIdOf } from './paths';
import { DEFAULT_STALE_S, markStale } from './stale';
import type { FaultDecision } from './switchboard';

// Applies the switchboard's decision to one HTTP request, around the route families. Every
// response a fault shapes carries `x-sim-fault: <kind>`, so a test can tell a fault from a
// genuine answer; `timeout` and `reset` send no response at all.
//
// Faults that answer by themselves (rate_limit, quota_exceeded, server_error, token_*, malformed, silent) answer
// before the gateway checks run, as a failing proxy in front of the API would, and do not count
// against the gateway's rate limits.

export const FAULT_HEADER = 'x-sim-fault';

export const DEFAULT_RETRY_AFTER_S = 60;
export const DEFAULT_LATENCY_MS = 2000;
export const DEFAULT_TIMEOUT_MS = 60_000;

// The gateway's answer to a token it will not accept (v4/gateway.ts), expired and revoked alike.
const BEARER_PATTERN = /^Bearer +(\S+) *$/i;

// Complete HTTP (the length matches) but not JSON: NaN and single quotes are JavaScript, not JSON.
const MALFORMED_BODY = `{"_links":{"self":{"href":"/"}},"total":NaN,'_embedded':{}}`;

type Handle = () => Promise<void>;

/**
 * The fault layer of one server. It keeps the sockets that `timeout` holds open, and makes the
 * server's `close()` destroy them: close() otherwise waits for every open request, and a parked one
 * would hold a test run for up to two minutes.
 */
export class FaultLayer {
  readonly #parked = new Set<Socket>();

  /** Makes `server.close()` destroy the parked sockets before it waits for connections to end. */
  attach(server: Server): void {
    const close = server.close.bind(server);
    server.close = ((callback?: (error?: Error) => void) => {
      for (const socket of this.#parked) socket.destroy();
      this.#parked.clear();
      return close(callback);
    }) as Server['close'];
  }

  /** Runs `handle` (the route families) for this request, under whichever fault fires. */
  async run(
    ctx: SimContext,
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    handle: Handle,
  ): Promise<void> {
    const path = url.pathname;
    const decision = ctx.faults.pick({
      method: request.method ?? 'GET',
      path,
      vehicleId: faultVehicleId(ctx, path),
    });
    if (!decision) return handle();
    return this.#apply(decision, ctx, request, response, url, handle);
  }

  async #apply(
    decision: FaultDecision,
    ctx: SimContext,
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    handle: Handle,
  ): Promise<void> {
    const path = url.pathname;
    const { kind, params } = decision;
    const marked = { [FAULT_HEADER]: kind };
    const now = ctx.clock.now();
    switch (kind) {
      case 'rate_limit': {
        const retryAfter = String(params.retryAfterS ?? DEFAULT_RETRY_AFTER_S);
        const headers = { ...marked, 'retry-after': retryAfter, 'x-ratelimit-reset': retryAfter };
        if (isApiPath(path)) {
          return sendV4Error(response, new V4GatewayError(429, GATEWAY_MESSAGES.rateLimited), now, headers);
        }
        return oauthError(response, 429, 'temporarily_unavailable', GATEWAY_MESSAGES.rateLimited, headers);
      }
      case 'quota_exceeded':
        // The subscription's quota spent: the gateway refuses with 403 and no Retry-After, the
        // form TeslaMate meets as 403 EXCEEDED_LIMIT (security-tests.md UP-01). v1 sat behind the
        // same API Connect gateway: one body for both.
        return sendV4Error(response, new V4GatewayError(403, GATEWAY_MESSAGES.quotaExceeded), now, marked);
      case 'server_error': {
        // Both transient statuses a client must retry; which one follows the request's own draw.
        const status = decision.roll < 0.5 ? 500 : 503;
        const message = status === 500 ? 'Internal error.' : 'Service unavailable.';
        if (isV1Path(path)) {
          return sendJson(response, status, apiConnectErrorBody(status, message), marked);
        }
        if (isApiPath(path)) {
          // The portal's body form: `code` is the HTTP status followed by two digits (§3.4).
          return sendJson(response, status, v4ErrorBody(status * 100, message, now), {
            'content-type': 'application/hal+json',
            ...marked,
          });
        }
        const error = status === 500 ? 'server_error' : 'temporarily_unavailable';
        return oauthError(response, status, error, message, marked);
      }
      case 'latency': {
        response.setHeader(FAULT_HEADER, kind);
        await sleep(params.latencyMs ?? DEFAULT_LATENCY_MS);
        // The client gave up while we waited: nobody is left to answer.
        if (request.socket.destroyed) return;
        return handle();
      }
      case 'timeout':
        return this.#park(request.socket, params.latencyMs ?? DEFAULT_TIMEOUT_MS);
      case 'reset':
        // An RST rather than a FIN: the client sees ECONNRESET, not a clean end of stream.
        request.socket.resetAndDestroy();
        return;
      case 'token_expired':
        return sendV4Error(
          response,
          new V4GatewayError(401, GATEWAY_MESSAGES.invalidToken, INVALID_TOKEN_HEADERS),
          now,
          marked,
        );
      case 'token_revoked': {
        const token = bearerOf(request);
        if (token) ctx.tokens.revokeGrant(token);
        return sendV4Error(
          response,
          new V4GatewayError(401, GATEWAY_MESSAGES.invalidToken, INVALID_TOKEN_HEADERS),
          now,
          marked,
        );
      }
      case 'malformed':
        return sendRaw(response, 200, MALFORMED_BODY, {
          'content-type': isApiPath(path) && !isV1Path(path) ? 'application/hal+json' : 'application/json',
          ...marked,
        });
      case 'truncated':
        response.setHeader(FAULT_HEADER, kind);
        truncateBody(response);
        return handle();
      case 'stale':
        // The v4 handlers answer with the car's data as it was `delayS` ago: old createdAt.
        response.setHeader(FAULT_HEADER, kind);
        markStale(request, (params.delayS ?? DEFAULT_STALE_S) * 1000);
        return handle();
      case 'hostile_names':
        // The genuine answer, but the car is named with markup and an SQL string.
        response.setHeader(FAULT_HEADER, kind);
        markHostileNames(request);
        return handle();
      case 'id_token_wrong_aud':
      case 'id_token_wrong_iss':
      case 'id_token_nonce':
      case 'id_token_expired':
        // The genuine exchange, but the id_token carries a claim the client must refuse.
        response.setHeader(FAULT_HEADER, kind);
        markIdTokenFault(request, kind);
        return handle();
      case 'silent': {
        if (isV1Path(path)) {
          if (!keyReadsVehicle(ctx, url, path)) return handle();
          return sendJson(response, 404, apiConnectErrorBody(404, 'No data for this vehicle yet.'), marked);
        }
        if (!ownsVehicle(ctx, request, path)) return handle();
        return sendV4Error(
          response,
          new V4ApiError('noDataForContext', 'No data availble for such context.'),
          now,
          marked,
        );
      }
    }
  }

  /** Holds the request unanswered, then closes the socket: the client's own timeout should fire first. */
  #park(socket: Socket, ms: number): void {
    this.#parked.add(socket);
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      this.#parked.delete(socket);
    });
  }
}

function oauthError(
  response: ServerResponse,
  status: number,
  error: string,
  description: string,
  headers: Record<string, string>,
) {
  sendJson(response, status, { error, error_description: description }, headers);
}

function sendRaw(response: ServerResponse, status: number, body: string, headers: Record<string, string>) {
  response.writeHead(status, {
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(body);
}

function bearerOf(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  return authorization ? BEARER_PATTERN.exec(authorization)?.[1] : undefined;
}

/** The car a request names: v4's vehicle id, or the car of a v1 path's VIN. */
function faultVehicleId(ctx: SimContext, path: string): string | null {
  const vin = v1VinOf(path);
  return vin ? (ctx.world.findVehicleByVin(vin)?.id ?? null) : vehicleIdOf(path);
}

/** v1's `silent` likewise: only for the API key of the car's brand, so it reveals no VINs. */
function keyReadsVehicle(ctx: SimContext, url: URL, path: string): boolean {
  const vin = v1VinOf(path);
  const vehicle = vin ? ctx.world.findVehicleByVin(vin) : null;
  const keys = url.searchParams.getAll('client_id');
  return !!vehicle && keys.length === 1 && ctx.world.clientFor(vehicle.brand).clientId === keys[0];
}

/**
 * `silent` only hides a car from its owner: a caller whose token would not pass, or who asks for
 * someone else's car, gets the genuine answer (401, 403), so the fault reveals no vehicle ids.
 */
function ownsVehicle(ctx: SimContext, request: IncomingMessage, path: string): boolean {
  const vehicleId = vehicleIdOf(path);
  const check = ctx.tokens.checkAccess(bearerOf(request));
  if (!vehicleId || !check.ok) return false;
  const { ownerIndex } = check.grant;
  if (ownerIndex < 0 || ownerIndex >= ctx.world.ownerCount) return false;
  return ctx.world.ownerAt(ownerIndex).vehicles.some((vehicle) => vehicle.id === vehicleId);
}

/**
 * Lets the handler answer as usual, but puts only the first half of its body on the wire, under
 * the headers it chose (so the full Content-Length when it set one, as sendJson does), then
 * destroys the socket. A client sees the status and headers, then an error while reading the body
 * (premature close); it never gets a complete, parseable answer. An answer without a body (none
 * of the v4 or token answers) has nothing to cut and arrives whole before the socket closes.
 */
function truncateBody(response: ServerResponse): void {
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string') {
      chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    } else if (chunk instanceof Uint8Array) {
      chunks.push(Buffer.from(chunk));
    }
  };
  const write = response.write.bind(response);

  response.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    collect(chunk, encoding);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(() => done());
    return true;
  }) as ServerResponse['write'];

  response.end = ((chunk?: unknown, encoding?: unknown) => {
    collect(chunk, encoding);
    const body = Buffer.concat(chunks);
    // Headers set with setHeader are not final yet: declare the length the body would have had.
    if (!response.headersSent) response.setHeader('content-length', String(body.length));
    const socket = response.socket;
    const half = body.subarray(0, Math.floor(body.length / 2));
    if (half.length > 0) {
      write(half, () => socket?.destroy());
    } else {
      response.flushHeaders();
      setImmediate(() => socket?.destroy());
    }
    return response;
  }) as ServerResponse['end'];
}
