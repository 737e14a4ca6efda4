import { describe, expect, it } from 'vitest';
import type { CarAccountWithVehicles } from '../db/queries/car-accounts';
import { toCarAccountDto } from './car-account';

// The car account as the owner's pages show it: the sync state of each car, and when the maker
// rate-limits Kinetic, until when the car is held back (UP-01's "rate-limited, next update at …").

const NOW = Date.parse('2026-03-01T08:00:00Z');

function account(
  vehicle: Partial<CarAccountWithVehicles['vehicles'][number]>,
  status: CarAccountWithVehicles['status'] = 'active',
): CarAccountWithVehicles {
  return {
    id: 'acc-1',
    userId: 'user-1',
    provider: 'psa-v4',
    brand: 'peugeot',
    makerSubject: 'maker-subject-42',
    status,
    statusReason: null,
    createdAt: NOW - 86_400_000,
    updatedAt: NOW,
    vehicles: [
      {
        carAccountId: 'acc-1',
        vehicleId: 'veh-1',
        providerVehicleId: 'p-1',
        vin: 'VR3UHZKXZMT100001',
        contract: null,
        linkedAt: NOW - 86_400_000,
        label: 'Peugeot e-208',
        brand: 'Peugeot',
        model: 'e-208',
        powertrain: 'electric',
        lastSyncedAt: NOW - 600_000,
        nextSyncAt: NOW + 300_000,
        failures: 0,
        lastError: null,
        ...vehicle,
      },
    ],
  } as CarAccountWithVehicles;
}

describe('toCarAccountDto', () => {
  it('says until when a rate-limited car is held back (a 429 or a quota-exceeded 403)', () => {
    const until = NOW + 900_000;
    const dto = toCarAccountDto(
      account({
        failures: 1,
        nextSyncAt: until,
        lastError: 'UpstreamRateLimitedError: psa-v4: rate limited until 2026-03-01T08:15:00.000Z',
      }),
      NOW,
    );
    expect(dto.vehicles[0]?.rateLimitedUntil).toBe(new Date(until).toISOString());
    // The last good sync still shows: the car's data is as of then.
    expect(dto.vehicles[0]?.sync).toBe('synced');
  });

  it('says nothing of a rate limit for other failures, a healthy car, or a hold already over', () => {
    const failing = toCarAccountDto(
      account({ failures: 2, lastError: 'UpstreamNetworkError: fetch failed', nextSyncAt: NOW + 60_000 }),
      NOW,
    );
    expect(failing.vehicles[0]?.rateLimitedUntil).toBeNull();
    expect(toCarAccountDto(account({}), NOW).vehicles[0]?.rateLimitedUntil).toBeNull();
    const over = toCarAccountDto(
      account({ failures: 1, lastError: 'UpstreamRateLimitedError: psa-v4: …', nextSyncAt: NOW - 1 }),
      NOW,
    );
    expect(over.vehicles[0]?.rateLimitedUntil).toBeNull();
  });

  it('carries neither the maker identity nor the raw error to the page', () => {
    const dto = toCarAccountDto(
      account({ lastError: 'UpstreamRateLimitedError: psa-v4: rate limited', nextSyncAt: NOW + 1 }),
      NOW,
    );
    const text = JSON.stringify(dto);
    expect(text).not.toContain('maker-subject-42');
    expect(text).not.toContain('UpstreamRateLimitedError');
  });
});
