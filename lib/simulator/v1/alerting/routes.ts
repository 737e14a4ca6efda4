import type { V1Route } from '../route-table';

export const alertingRoutes: readonly V1Route[] = [];
