import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

// The ownership check runs here, above the page's loading boundary, so that a foreign or missing
// vehicle answers with a real 404 status before anything streams.
export default async function VehicleLayout({ children, params }: LayoutProps<'/vehicles/[vehicleId]'>) {
  await getOwnedVehicleOrNotFound((await params).vehicleId);
  return children;
}
