import 'server-only';
import { headers } from 'next/headers';
import { env } from '../env';
import { addressedHost } from './same-origin';

/**
 * The app's public address, for absolute URLs in page metadata (the preview images messaging apps
 * fetch): AUTH_URL when configured, else the address the request came to.
 */
export async function publicBaseUrl(): Promise<URL | undefined> {
  if (env.AUTH_URL) return new URL(env.AUTH_URL);
  const requestHeaders = await headers();
  const host = addressedHost(requestHeaders);
  const protocol = requestHeaders.get('x-forwarded-proto') ?? 'http';
  return host ? new URL(`${protocol}://${host}`) : undefined;
}
