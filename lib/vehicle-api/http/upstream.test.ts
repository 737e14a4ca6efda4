import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createResilientHttp } from './resilient';
import {
  jsonNestingDepth,
  plainHttp,
  UPSTREAM_LIMITS,
  UpstreamAnswerRefusedError,
  UpstreamNetworkError,
} from './upstream';

// The real transport (fetch, AbortSignal.timeout, the capped reader) against hostile upstreams on
// loopback: one that accepts and never answers, one that trickles its body a byte a second, and
// answers too big or too deeply nested (security-tests.md UP-03, IN-06).

type Hostile = {
  url: string;
  /** Resolves when the client has closed the connection, with the body bytes written until then. */
  hungUp: Promise<number>;
  close(): Promise<void>;
};

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function hostile(
  handle: (response: ServerResponse, socket: Socket, count: (n: number) => void) => void,
) {
  let written = 0;
  let resolveHungUp: (bytes: number) => void = () => {};
  const hungUp = new Promise<number>((resolve) => {
    resolveHungUp = resolve;
  });
  const server = createServer((request, response) => {
    handle(response, request.socket, (n) => {
      written += n;
    });
  });
  // On the connection, not the request: a client that gives up before the request is parsed
  // (a busy machine) still closes a socket we watch.
  server.on('connection', (socket) => socket.once('close', () => resolveHungUp(written)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/connectedcar/v4/user/vehicles`, hungUp } satisfies Omit<
    Hostile,
    'close'
  >;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

const timeoutCause = (error: unknown) => ((error as Error).cause as { name?: string } | undefined)?.name;

describe('timeouts against a hanging upstream (UP-03)', () => {
  it('aborts a call the upstream accepts and never answers, at its budget, and hangs up', async () => {
    const server = await hostile(() => {
      // Accept, read the request, answer nothing.
    });
    const error = await failure(plainHttp.request({ url: server.url, timeoutMs: 300 }));
    expect(error).toBeInstanceOf(UpstreamNetworkError);
    expect(timeoutCause(error)).toBe('TimeoutError');
    // The client closed the connection: nothing is left parked on our side.
    expect(await server.hungUp).toBe(0);
  });

  it('aborts an answer trickling in a byte a second at its budget, long before its end', async () => {
    const BODY = `{"total":1,"pad":"${'x'.repeat(120)}"}`;
    const server = await hostile((response, socket, count) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(BODY.length) });
      let sent = 0;
      const trickle = () => {
        if (socket.destroyed || sent >= BODY.length) return clearInterval(timer);
        response.write(BODY[sent++]);
        count(1);
      };
      // The first byte with the headers, then one a second.
      trickle();
      const timer = setInterval(trickle, 1_000);
      socket.once('close', () => clearInterval(timer));
    });
    const error = await failure(plainHttp.request({ url: server.url, timeoutMs: 3_000 }));
    expect(error).toBeInstanceOf(UpstreamNetworkError);
    expect(timeoutCause(error)).toBe('TimeoutError');
    const written = await server.hungUp;
    // The headers and a few bytes arrived, then the budget ran out: most of the body was never sent.
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(BODY.length / 4);
  });

  it('the resilient layer passes its budget down and gives up after its attempts, each aborted', async () => {
    let connections = 0;
    const server = await hostile(() => {
      connections++;
    });
    const http = createResilientHttp(plainHttp, {
      provider: 'test',
      timeoutMs: 200,
      maxAttempts: 2,
      baseDelayMs: 1,
      capDelayMs: 2,
    });
    const error = await failure(http.request({ url: server.url }));
    expect(error).toBeInstanceOf(UpstreamNetworkError);
    expect(timeoutCause(error)).toBe('TimeoutError');
    expect(connections).toBe(2);
  });
});

describe('size and nesting caps on upstream answers (IN-06)', () => {
  const OVER = UPSTREAM_LIMITS.maxBytes + 1024 * 1024;

  it('refuses an answer whose Content-Length is over the cap, without reading it', async () => {
    const server = await hostile((response, _socket, count) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(OVER) });
      // Only the start: the client must refuse on the header alone.
      response.write('{"pad":"');
      count(8);
    });
    const error = await failure(plainHttp.request({ url: server.url }));
    expect(error).toBeInstanceOf(UpstreamAnswerRefusedError);
    expect((error as Error).message).toBe(
      `GET /connectedcar/v4/user/vehicles: the answer is over ${UPSTREAM_LIMITS.maxBytes} bytes`,
    );
  });

  it('stops reading a streamed answer (no Content-Length) as soon as it passes the cap', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const server = await hostile((response, socket, count) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"pad":"');
      // Write until the client hangs up, twice the cap at most.
      let total = 0;
      const write = () => {
        while (!socket.destroyed && total < 2 * UPSTREAM_LIMITS.maxBytes) {
          const ok = response.write(chunk);
          total += chunk.length;
          count(chunk.length);
          if (!ok) return void response.once('drain', write);
        }
        if (!socket.destroyed) response.end('"}');
      };
      write();
    });
    const error = await failure(plainHttp.request({ url: server.url }));
    expect(error).toBeInstanceOf(UpstreamAnswerRefusedError);
    expect((error as Error).message).toMatch(/the answer is over \d+ bytes$/);
    // The client hung up before the upstream could send the double of the cap.
    expect(await server.hungUp).toBeLessThan(2 * UPSTREAM_LIMITS.maxBytes);
  });

  it('refuses an answer nested 1,000 levels deep, and accepts one at the cap', async () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const deep = await hostile((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(nested(1_000));
    });
    const error = await failure(plainHttp.request({ url: deep.url }));
    expect(error).toBeInstanceOf(UpstreamAnswerRefusedError);
    expect((error as Error).message).toBe(
      `GET /connectedcar/v4/user/vehicles: the answer nests deeper than ${UPSTREAM_LIMITS.maxDepth} levels`,
    );

    const atCap = await hostile((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(nested(UPSTREAM_LIMITS.maxDepth));
    });
    expect((await plainHttp.request({ url: atCap.url })).status).toBe(200);
  });

  it('is not retried: the same request would bring the same answer', async () => {
    let calls = 0;
    const server = await hostile((response) => {
      calls++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`);
    });
    const http = createResilientHttp(plainHttp, { provider: 'test', baseDelayMs: 1, capDelayMs: 2 });
    await expect(http.request({ url: server.url })).rejects.toBeInstanceOf(UpstreamAnswerRefusedError);
    expect(calls).toBe(1);
  });
});

describe('jsonNestingDepth', () => {
  it('counts arrays and objects, not brackets inside strings or after escapes', () => {
    expect(jsonNestingDepth('1')).toBe(0);
    expect(jsonNestingDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonNestingDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonNestingDepth('{"a":"\\"[[[[","b":[]}')).toBe(2);
    expect(jsonNestingDepth('[[],[[]],[]]')).toBe(3);
  });
});
