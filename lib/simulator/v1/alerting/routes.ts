import { V1Error } from '../gateway';
import { readBrand, readLocale, required, single } from '../params';
import { listRoute, type V1Call, type V1Route, vehicleRoute } from '../route-table';
import { type AlertQuery, alertItems, type V1AlertItem } from './alert-list';
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
 * POST /maintenance/list/alert. The body is read by the route table's list twin (same refusals,
 * same rule that pairs naming no car of this key are left out), run once per call so that the
 * items of every car end in one `listAlert`, car by car in the order asked, each newest first.
 * The query is checked before the body, so a bad `active` is a 400 even when no car matches.
 */
async function listAlerts(call: V1Call) {
  const query = readAlertQuery(call.url);
  const listAlert: (V1AlertItem & { vin: string; contract: string })[] = [];
  const perCar = listRoute(LIST_PATH, (_call, vehicle) => {
    for (const item of alertItems(call.ctx, vehicle, query, call.nowMs)) {
      const { idAlert, dateUpdate, ...rest } = item;
      // The spec's key order: idAlert, dateUpdate, vin, contract, then the rest.
      listAlert.push({ idAlert, dateUpdate, vin: vehicle.vin, contract: vehicle.contract, ...rest });
    }
    return null;
  });
  await perCar.handle(call);
  return { listAlert };
}

/**
 * The referentials' optional `locale` and `brand` (the spec's default for both is ""): absent or
 * empty means English and every brand; anything given must be well formed. [infer] Both brands'
 * cars raise the same alerts and report the same values, so `brand` does not change the answer.
 */
function referentialLocale(url: URL): string {
  // readBrand refuses anything but P or C; its answer does not matter here.
  if (single(url, 'brand')) readBrand(url);
  const locale = single(url, 'locale');
  return locale === undefined || locale === '' ? 'en_GB' : readLocale(url);
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
    handle: (call) => alertReferential(referentialLocale(call.url)),
  },
  {
    method: 'GET',
    path: '/referential/maintenance',
    handle: (call) => maintenanceReferential(referentialLocale(call.url)),
  },
];
