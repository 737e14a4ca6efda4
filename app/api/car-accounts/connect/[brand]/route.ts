import { startConnect } from '@/lib/car-accounts/connect-routes';

/** Connect a car, step 1: off to the maker's sign-in page (docs/api.md › Car accounts). */
export async function GET(request: Request, context: RouteContext<'/api/car-accounts/connect/[brand]'>) {
  const { brand } = await context.params;
  return startConnect(request, brand);
}
