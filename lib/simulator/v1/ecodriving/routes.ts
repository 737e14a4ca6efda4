import type { V1Route } from '../route-table';

export const ecodrivingRoutes: readonly V1Route[] = [];
