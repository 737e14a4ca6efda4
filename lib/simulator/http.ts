import type { IncomingMessage, ServerResponse } from 'node:http';
import { singleValuedParams } from '../single-valued-params';

// Small HTTP helpers for the simulator's node:http server. The simulator is its own process
// speaking the vehicle APIs' wire formats, so it does not use Next or Kinetic's route helpers.

export const MAX_BODY_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

// Past the body limit the rest is read and dropped, so the 413 reaches the client instead of a
// reset connection; past this harder limit the connection is cut.
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

/** Reads a request body of at most MAX_BODY_BYTES (64 KiB) as text; 413 beyond. */
export async function readBodyText(request: IncomingMessage): Promise<string> {
  const tooLarge = () => new HttpError(413, 'payload_too_large', 'The request body is too large.');
  // Node discards an unread body once the response is sent, so an announced size can be refused
  // without reading a byte.
  if (Number(request.headers['content-length']) > MAX_BODY_BYTES) throw tooLarge();
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      reject(error);
    };
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) request.destroy();
      if (size > MAX_BODY_BYTES) return fail(tooLarge());
      if (!settled) chunks.push(chunk);
    });
    request.once('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.once('error', fail);
    request.once('close', () => fail(new HttpError(400, 'bad_request', 'The request body was cut off.')));
  });
}

export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const text = await readBodyText(request);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad_request', 'The request body is not valid JSON.');
  }
}

/** The query string as an object; a repeated key is refused (`?a=1&a=2` is ambiguous). */
export function queryOf(url: URL): Record<string, string> {
  const result = singleValuedParams(url.searchParams);
  if (result.repeated !== null) {
    throw new HttpError(400, 'bad_request', `${result.repeated}: give this parameter only once.`);
  }
  return result.params;
}
