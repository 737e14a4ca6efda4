'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { startTransition, useEffect, useMemo } from 'react';
import { glanceQueryOptions } from '@/lib/api-client/glance';
import type { GlanceDto } from '@/lib/schemas/glance';

/**
 * Keeps the server-rendered glance current without shipping the cards to the browser: the glance
 * query (lib/api-client/glance.ts) polls every 15 s while the car drives and on focus, each poll a
 * conditional GET (a 304 when nothing changed); when the answer differs from what the server
 * rendered, the page's Server Components are re-rendered (router.refresh), which swaps the cards in
 * place. The server's glance seeds the query, so nothing is fetched on the first paint. Renders nothing.
 */
export function GlanceRefresher({ glance, renderedAt }: { glance: GlanceDto; renderedAt: number }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const vehicleId = glance.vehicle.id;
  // One options object per vehicle: the effects below must not re-run on every render.
  const options = useMemo(() => glanceQueryOptions(vehicleId), [vehicleId]);
  const { data } = useQuery({ ...options, initialData: glance, initialDataUpdatedAt: renderedAt });

  // A new server render is the truth: the cache follows it, so the comparison below settles.
  useEffect(() => {
    queryClient.setQueryData(options.queryKey, glance, { updatedAt: renderedAt });
  }, [queryClient, options.queryKey, glance, renderedAt]);

  useEffect(() => {
    // Read the cache rather than `data`: the effect above may just have replaced it.
    const current = queryClient.getQueryData(options.queryKey) ?? data;
    if (JSON.stringify(current) !== JSON.stringify(glance)) startTransition(() => router.refresh());
  }, [data, glance, queryClient, options.queryKey, router]);

  return null;
}
