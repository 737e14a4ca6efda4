import type { V1Route } from '../route-table';

export const telemetryRoutes: readonly V1Route[] = [];
