// The one way client code calls Kinetic's API: same-origin, JSON, and every failure becomes an
// ApiError carrying the API's `{ error: { code, message } }` (or a plain one when the network
// itself failed), so query states can show the message the server chose.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function errorOf(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code === 'string' && typeof error.message === 'string')
    return new ApiError(status, error.code, error.message);
  return new ApiError(status, 'internal', 'Something went wrong. Please try again.');
}

export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { Accept: 'application/json', ...init.headers },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'Kinetic cannot be reached. Check your connection.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw errorOf(response.status, body);
  return body as T;
}

/** A JSON request with a body (POST, PATCH, DELETE…). */
export function sendJson<T>(url: string, method: string, body?: unknown): Promise<T> {
  return fetchJson<T>(url, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
}
