import type { IncomingMessage } from 'node:http';
import { HttpError, readBodyText } from '../http';

// Form-encoded bodies and query strings of the identity providers, read strictly.

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * Parses `application/x-www-form-urlencoded` text strictly: a repeated parameter is refused
 * (RFC 6749 §3.1, §3.2) and so is broken percent-encoding, instead of guessing.
 */
export function parseFormEncoded(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const rawValue = equals === -1 ? '' : pair.slice(equals + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replaceAll('+', ' '));
      value = decodeURIComponent(rawValue.replaceAll('+', ' '));
    } catch {
      throw new HttpError(400, 'invalid_request', 'The parameters are not valid URL encoding.');
    }
    if (fields.has(name)) throw new HttpError(400, 'invalid_request', 'A parameter is given more than once.');
    fields.set(name, value);
  }
  return fields;
}

/** Reads a form-encoded request body of at most MAX_BODY_BYTES (64 KiB); 413 beyond. */
export async function readFormBody(request: IncomingMessage): Promise<Map<string, string>> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== FORM_CONTENT_TYPE) {
    throw new HttpError(400, 'invalid_request', `The body must be ${FORM_CONTENT_TYPE}.`);
  }
  const text = await readBodyText(request);
  return parseFormEncoded(text);
}
