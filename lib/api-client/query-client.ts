import { isServer, QueryClient } from '@tanstack/react-query';

// One place for TanStack Query defaults. Data shown on a dashboard goes stale quickly but not
// instantly: a minute avoids refetching on every mount.
function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 60_000, retry: 1, refetchOnWindowFocus: true },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}
