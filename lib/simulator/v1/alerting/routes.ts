import { V1Error } from '../gateway';
import { readBrand, readLocale, readReferentialLocale, required } from '../params';
import { answersPerCar, type V1Call, type V1Route, vehicleRoute } from '../route-table';
import { type AlertQuery, alertItems } from './alert-list';
import { alertReferential, maintenanceReferential } from './referentials';

// The Maintenance / Alerting operations of v1 that are not GET /maintenance/{vin} (vehicle-apis.md
// §7; spec lines "/maintenance/list/alert", "/maintenance/alert/{vin}", "/referential/alert",
// "/referential/maintenance"):
// - GET /maintenance/alert/{vin}?contract&locale&brand&active → { listAlert, vin, contract };
// - POST /maintenance/list/alert?locale&brand&active, body { listvin, listcontract } →
//   { listAlert } with `vin` and `contract` on every item (an object, unlike the other list twins);
// - GET /referential/alert, GET /referential/maintenance?locale&brand → the catalogues.

const LIST_PATH = '/maintenance/list/alert';

/** `locale`, `brand` and `active`, all required by the spec; the route table checks the brand. */
function readAlertQuery(url: URL): AlertQuery {
  const locale = readLocale(url);
  if (readBrand(url) === null) throw new V1Error(400, 'Query parameter brand is required.');
  const active = required(url, 'active');
  if (active !== '0' && active !== '1') throw new V1Error(400, 'Query parameter active must be 0 or 1.');
  return { locale, active: active === '1' };
}

/**
 * POST /maintenance/list/alert: the items of every car in one `listAlert`, car by car in the
 * order asked, each newest first (the route table's list rules: pairs naming no car of this key
 * are left out).
 * The query is checked before the body, so a bad `active` is a 400 even when no car matches.
 */
async function listAlerts(call: V1Call) {
  const query = readAlertQuery(call.url);
  const perCar = await answersPerCar(call, (_call, vehicle) =>
    alertItems(call.ctx, vehicle, query, call.nowMs).map(({ idAlert, dateUpdate, ...rest }) =>
      // The spec's key order: idAlert, dateUpdate, vin, contract, then the rest.
      ({ idAlert, dateUpdate, vin: vehicle.vin, contract: vehicle.contract, ...rest }),
    ),
  );
  return { listAlert: perCar.flat() };
}

export const alertingRoutes: readonly V1Route[] = [
  vehicleRoute('GET', '/maintenance/alert/{vin}', (call, vehicle) => ({
    listAlert: alertItems(call.ctx, vehicle, readAlertQuery(call.url), call.nowMs),
    vin: vehicle.vin,
    contract: vehicle.contract,
  })),
  { method: 'POST', path: LIST_PATH, handle: listAlerts },
  {
    method: 'GET',
    path: '/referential/alert',
    handle: (call) => alertReferential(readReferentialLocale(call.url)),
  },
  {
    method: 'GET',
    path: '/referential/maintenance',
    handle: (call) => maintenanceReferential(readReferentialLocale(call.url)),
  },
];
