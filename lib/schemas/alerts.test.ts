import { describe, expect, it } from 'vitest';
import { alertListQuerySchema } from './alerts';

describe('GET /api/alerts query', () => {
  it('defaults to every state and 50 alerts, and reads ISO instants as epoch ms', () => {
    expect(alertListQuerySchema.parse({})).toEqual({ state: 'all', limit: 50 });
    expect(
      alertListQuerySchema.parse({
        state: 'active',
        severity: 'critical',
        from: '2026-03-01T00:00:00Z',
        to: '2026-03-02T00:00:00+01:00',
        limit: '100',
      }),
    ).toEqual({
      state: 'active',
      severity: 'critical',
      from: Date.UTC(2026, 2, 1),
      to: Date.UTC(2026, 2, 1, 23),
      limit: 100,
    });
  });

  it('refuses a limit over 100, unknown states and fields, and from after to', () => {
    for (const query of [
      { limit: '101' },
      { limit: '0' },
      { limit: '2.5' },
      { state: 'open' },
      { severity: 'fatal' },
      { page: '2' },
      { from: 'yesterday' },
      { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' },
    ])
      expect(alertListQuerySchema.safeParse(query).success, JSON.stringify(query)).toBe(false);
  });
});
