import 'server-only';

// Kinetic's own response schemas for PSA / Stellantis Connected Car v4 (spec 4.17.2), written from the
// OpenAPI file and vehicle-apis.md §3–§6 independently of the simulator, so each checks the other.
// One module per resource under ./schema; this file is the entry point the adapter imports.

export * from './schema/alarm';
export * from './schema/alert';
export * from './schema/callbacks';
export * from './schema/collision';
export * from './schema/common';
export * from './schema/energy';
export * from './schema/errors';
export * from './schema/maintenance';
export * from './schema/position';
export * from './schema/programs';
export * from './schema/status';
export * from './schema/telemetry';
export * from './schema/trip';
export * from './schema/vehicle';
export * from './schema/vehicle-state';
export * from './schema/webhook';
