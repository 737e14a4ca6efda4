// Scopes of the simulated identity providers (vehicle-apis.md §2.3, v4.17).

/** Everything a data client may read, as a fully consented app gets (what /sim/tokens grants). */
export const TEST_TOKEN_SCOPES = [
  'openid',
  'profile',
  'data:telemetry',
  'data:position',
  'data:trip',
  'data:alert',
  'data:collision',
] as const;

/** Scopes a client may ask for: OpenID plus the v4.17 data scopes. */
export const SUPPORTED_SCOPES: readonly string[] = [...TEST_TOKEN_SCOPES, 'data:vehicle:devices:pnc'];
