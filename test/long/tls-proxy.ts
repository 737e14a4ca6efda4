import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// TEST SUPPORT ONLY (long tests): HTTPS on loopback in front of an app instance, the way
// docs/deploy.md puts a TLS-terminating reverse proxy in front of `next start` — the proxy
// answers TLS, forwards plain HTTP with X-Forwarded-Proto/Host, and passes every header back
// (several Set-Cookie lines included). The certificate is self-signed for localhost, made by the
// machine's openssl at test time (Node cannot issue X.509 certificates itself), and the client
// below trusts exactly that certificate, so TLS is verified, not switched off.

export type TlsProxy = {
  /** `https://localhost:<port>` */
  origin: string;
  close(): Promise<void>;
};

export type TlsAnswer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every Set-Cookie line, as sent. */
  setCookies: string[];
  text: string;
};

/** A key and a self-signed certificate for localhost and 127.0.0.1, valid for a day. */
async function selfSignedCertificate(): Promise<{ key: Buffer; cert: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'kinetic-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Starts the proxy on a free loopback port, forwarding to `upstreamPort` on 127.0.0.1. */
export async function startTlsProxy(upstreamPort: number): Promise<TlsProxy & { cert: Buffer }> {
  const { key, cert } = await selfSignedCertificate();
  const server: Server = createServer({ key, cert }, (incoming, outgoing) => {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method: incoming.method,
        path: incoming.url,
        headers: {
          ...incoming.headers,
          'x-forwarded-proto': 'https',
          'x-forwarded-host': incoming.headers.host ?? '',
          'x-forwarded-for': incoming.socket.remoteAddress ?? '127.0.0.1',
        },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      outgoing.writeHead(502).end();
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://localhost:${port}`,
    cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One request over HTTPS, trusting only `cert`; redirects are not followed. */
export function tlsRequest(
  url: string,
  cert: Buffer,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      url,
      { method: init.method ?? 'GET', headers: init.headers ?? {}, ca: cert, timeout: 30_000 },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () =>
          resolve({
            status: answer.statusCode ?? 0,
            headers: answer.headers,
            setCookies: answer.headers['set-cookie'] ?? [],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        answer.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within 30 s`)));
    request.on('error', reject);
    request.end(init.body);
  });
}
