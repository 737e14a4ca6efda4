import 'server-only';

// Kinetic's own schemas for the PSA "Connected Car Development" v1 API (1.0.5, 2016; vehicle-apis.md §7–8),
// written from the Swagger file independently of the simulator, so each checks the other.
// One module per resource family under ./schema; this file is the entry point the adapter imports.

export * from './schema/common';
export * from './schema/crash';
export * from './schema/ecodriving';
export * from './schema/environment';
export * from './schema/errors';
export * from './schema/list-request';
export * from './schema/maintenance';
export * from './schema/place';
export * from './schema/referential';
export * from './schema/running';
export * from './schema/safety';
export * from './schema/trip';
