import type { V1Route } from '../route-table';

export const tripRoutes: readonly V1Route[] = [];
