import { describe, expect, it } from 'vitest';
import { ReauthorizationNeededError } from '../provider';
import { memoryTokenStore } from './simulator-for-tests';
import {
  createTokenManager,
  type RefreshedTokens,
  type StoredTokens,
  type TokenEndpoint,
  TokenRefreshFailedError,
  TokenRefreshRefusedError,
} from './tokens';

// The token manager's rules with an in-memory store and a scripted token endpoint.

const T0 = Date.parse('2026-03-01T08:00:00Z');

/** Issues access-1, access-2, … slowly enough that concurrent callers overlap the refresh. */
function countingEndpoint(
  answer: (n: number) => RefreshedTokens | Error = (n) => ({
    accessToken: `access-${n}`,
    expiresInS: 3599,
  }),
) {
  let refreshes = 0;
  const endpoint: TokenEndpoint = {
    async refresh() {
      refreshes++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const result = answer(refreshes);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { endpoint, refreshes: () => refreshes };
}

const live = (now: number): StoredTokens => ({
  accessToken: 'access-0',
  refreshToken: 'refresh',
  expiresAt: now + 3599_000,
});

describe('token manager', () => {
  it('uses the stored token while it is live', async () => {
    const { store } = memoryTokenStore(live(T0));
    const counting = countingEndpoint();
    const tokens = createTokenManager({ store, endpoint: counting.endpoint, now: () => T0 });
    expect(await tokens.accessToken()).toBe('access-0');
    expect(counting.refreshes()).toBe(0);
  });

  it('refreshes exactly once for 20 concurrent requests on an expired token', async () => {
    const memory = memoryTokenStore({ accessToken: 'old', refreshToken: 'refresh', expiresAt: T0 - 1 });
    const counting = countingEndpoint();
    const tokens = createTokenManager({ store: memory.store, endpoint: counting.endpoint, now: () => T0 });
    const got = await Promise.all(Array.from({ length: 20 }, () => tokens.accessToken()));
    expect(new Set(got)).toEqual(new Set(['access-1']));
    expect(counting.refreshes()).toBe(1);
    // Saved with its expiry from the answer's expires_in, and the old refresh token kept (none sent).
    expect(memory.current()).toEqual({
      accessToken: 'access-1',
      refreshToken: 'refresh',
      expiresAt: T0 + 3599_000,
    });
  });

  it('refreshes exactly once when 20 requests are refused with the same token', async () => {
    const { store } = memoryTokenStore(live(T0));
    const counting = countingEndpoint();
    const tokens = createTokenManager({ store, endpoint: counting.endpoint, now: () => T0 });
    const retried = await Promise.all(Array.from({ length: 20 }, () => tokens.rejected('access-0')));
    expect(new Set(retried)).toEqual(new Set(['access-1']));
    expect(counting.refreshes()).toBe(1);
    // A late 401 on the replaced token does not refresh again.
    expect(await tokens.rejected('access-0')).toBe('access-1');
    expect(counting.refreshes()).toBe(1);
  });

  it('refreshes early, before the token expires mid-run', async () => {
    let now = T0;
    const { store } = memoryTokenStore(live(T0));
    const counting = countingEndpoint();
    const tokens = createTokenManager({
      store,
      endpoint: counting.endpoint,
      now: () => now,
      refreshEarlyMs: 120_000,
    });
    now = T0 + 3599_000 - 120_001;
    expect(await tokens.accessToken()).toBe('access-0');
    now = T0 + 3599_000 - 120_000;
    expect(await tokens.accessToken()).toBe('access-1');
    expect(counting.refreshes()).toBe(1);
  });

  it('a refused grant (invalid_grant) ends in re-authorisation after one refresh, and stays there', async () => {
    const memory = memoryTokenStore(live(T0));
    const counting = countingEndpoint(() => new TokenRefreshRefusedError('grant_refused', 'invalid_grant'));
    const tokens = createTokenManager({ store: memory.store, endpoint: counting.endpoint, now: () => T0 });
    const all = await Promise.allSettled(Array.from({ length: 5 }, () => tokens.rejected('access-0')));
    expect(
      all.every(
        (result) => result.status === 'rejected' && result.reason instanceof ReauthorizationNeededError,
      ),
    ).toBe(true);
    expect(counting.refreshes()).toBe(1);
    expect(memory.marks).toEqual(['grant_refused']);
    // No further network attempt, whatever is asked.
    await expect(tokens.accessToken()).rejects.toBeInstanceOf(ReauthorizationNeededError);
    await expect(tokens.rejected('access-0')).rejects.toBeInstanceOf(ReauthorizationNeededError);
    expect(counting.refreshes()).toBe(1);
  });

  it('fresh tokens that keep being refused end in re-authorisation after a bounded number of refreshes', async () => {
    const memory = memoryTokenStore(live(T0));
    const counting = countingEndpoint();
    const tokens = createTokenManager({ store: memory.store, endpoint: counting.endpoint, now: () => T0 });
    // The API refuses every token: the caller retries with whatever it is given, until told to stop.
    let token = 'access-0';
    let error: unknown = null;
    for (let i = 0; i < 10 && error === null; i++) {
      try {
        token = await tokens.rejected(token);
      } catch (caught) {
        error = caught;
      }
    }
    expect(error).toBeInstanceOf(ReauthorizationNeededError);
    // access-0 → refresh → access-1 refused → access-2 refused → access-3 refused: stop (3 fresh
    // refusals in a row, none accepted).
    expect(counting.refreshes()).toBe(3);
    expect(memory.marks).toEqual(['tokens_refused']);
  });

  it('an accepted fresh token starts the count over', async () => {
    const { store } = memoryTokenStore(live(T0));
    const counting = countingEndpoint();
    const tokens = createTokenManager({ store, endpoint: counting.endpoint, now: () => T0 });
    let token = await tokens.rejected('access-0');
    token = await tokens.rejected(token); // access-1 refused once: strike 1
    token = await tokens.rejected(token); // access-2 refused once: strike 2
    tokens.accepted(token); // access-3 works
    token = await tokens.rejected(token); // hours later access-3 is refused (expired): no strike
    token = await tokens.rejected(token); // access-4 refused once: strike 1
    token = await tokens.rejected(token); // access-5 refused once: strike 2, not 3
    expect(token).toBe('access-6');
  });

  it('a token that worked and then expires is refreshed without counting toward re-authorisation', async () => {
    const memory = memoryTokenStore(live(T0));
    const counting = countingEndpoint();
    const tokens = createTokenManager({ store: memory.store, endpoint: counting.endpoint, now: () => T0 });
    let token = 'access-0';
    // Every hour: the refreshed token works, then expires and is refused; a refresh cures it.
    for (let hour = 1; hour <= 5; hour++) {
      token = await tokens.rejected(token);
      expect(token).toBe(`access-${hour}`);
      tokens.accepted(token);
    }
    // Then a stray 401 on a fresh token, and another on the next one: still refreshed, because
    // the expiries before were no refusals of fresh tokens.
    token = await tokens.rejected(token);
    token = await tokens.rejected(token);
    token = await tokens.rejected(token);
    expect(token).toBe('access-8');
    expect(memory.marks).toEqual([]);
  });

  it('a transient refresh failure is thrown for a later retry, without re-authorisation', async () => {
    const memory = memoryTokenStore({ accessToken: 'old', refreshToken: 'refresh', expiresAt: T0 - 1 });
    const counting = countingEndpoint((n) =>
      n === 1
        ? new TokenRefreshFailedError('token endpoint answered 503')
        : { accessToken: 'access-2', expiresInS: 60 },
    );
    const tokens = createTokenManager({ store: memory.store, endpoint: counting.endpoint, now: () => T0 });
    await expect(tokens.accessToken()).rejects.toBeInstanceOf(TokenRefreshFailedError);
    expect(memory.marks).toEqual([]);
    expect(await tokens.accessToken()).toBe('access-2');
  });

  it('an account without tokens needs re-authorisation', async () => {
    const memory = memoryTokenStore(null);
    const tokens = createTokenManager({ store: memory.store, endpoint: countingEndpoint().endpoint });
    await expect(tokens.accessToken()).rejects.toBeInstanceOf(ReauthorizationNeededError);
    expect(memory.marks).toEqual(['no_tokens']);
  });

  it('keeps a rotated refresh token', async () => {
    const memory = memoryTokenStore({ accessToken: 'old', refreshToken: 'refresh', expiresAt: T0 - 1 });
    const counting = countingEndpoint(() => ({
      accessToken: 'new',
      refreshToken: 'refresh-2',
      expiresInS: 100,
    }));
    const tokens = createTokenManager({ store: memory.store, endpoint: counting.endpoint, now: () => T0 });
    await tokens.accessToken();
    expect(memory.current()?.refreshToken).toBe('refresh-2');
  });
});
