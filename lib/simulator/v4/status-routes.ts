import type { V4Route } from './route-types';

// Placeholder: filled in by the slice that serves these endpoints.
export const statusRoutes: readonly V4Route[] = [];
