import { finishConnect } from '@/lib/car-accounts/connect-routes';

/** Connect a car, step 2: the maker's redirect back (docs/api.md › Car accounts). */
export async function GET(request: Request, context: RouteContext<'/api/car-accounts/callback/[brand]'>) {
  const { brand } = await context.params;
  return finishConnect(request, brand);
}
