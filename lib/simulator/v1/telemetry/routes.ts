import type { SimVehicle } from '../../world/world';
import { readDay, readListSecond } from '../params';
import { listRoute, type V1Call, type V1Route, type V1VehicleHandler, vehicleRoute } from '../route-table';
import { drivingAssistance, safetyAssistance } from './assistance';
import { lastCrash, searchCrashes } from './crash';
import { environmentData } from './environment';
import { lastMinute, minuteOfDay } from './last-minute';
import { lightStatus } from './light-status';
import { lastPosition, readNear, tripPositions } from './positions';
import { runningData } from './running-data';

// The v1 Telemetry domain (vehicle-apis.md §7): running data, lamps, environment, positions and
// driver aids, each the car's last sampled minute (./last-minute), and crashes; with POST …/list
// twins where the spec has them. `listsecond` picks seconds of every per-second map; the spec
// marks it required but gives it `default: ""`, so absent or empty means every second [infer].
// These operations take no `unit`: their values are metric.

/**
 * A list twin whose query is checked before the body is read: a bad `listsecond` is a 400 even
 * when no car of the list can be answered.
 */
function checkedListRoute(path: string, check: (url: URL) => void, handler: V1VehicleHandler): V1Route {
  const route = listRoute(path, handler);
  return {
    ...route,
    handle: (call) => {
      try {
        check(call.url);
      } catch (error) {
        call.request.resume();
        throw error;
      }
      return route.handle(call);
    },
  };
}

const running = (call: V1Call, vehicle: SimVehicle) =>
  runningData(call.ctx, vehicle, call.nowMs, readListSecond(call.url));

const lights = (call: V1Call, vehicle: SimVehicle) =>
  lightStatus(call.ctx, vehicle, call.nowMs, readListSecond(call.url));

const environment = (call: V1Call, vehicle: SimVehicle) =>
  environmentData(call.ctx, vehicle, call.nowMs, readListSecond(call.url));

function position(call: V1Call, vehicle: SimVehicle) {
  const listSecond = readListSecond(call.url);
  return lastPosition(call.ctx, vehicle, call.nowMs, listSecond, readNear(call.url));
}

function tripPosition(call: V1Call, vehicle: SimVehicle) {
  const listSecond = readListSecond(call.url);
  return tripPositions(call.ctx, vehicle, call.nowMs, call.url, listSecond, readNear(call.url));
}

/** The driver-aid operations: the last minute, or with `/search/…/day/` the last one of `day`. */
function assistanceRoutes(name: string, body: typeof drivingAssistance | typeof safetyAssistance): V1Route[] {
  return [
    vehicleRoute('GET', `/safety/${name}/{vin}`, (call, vehicle) => {
      const listSecond = readListSecond(call.url);
      return body(vehicle, lastMinute(call.ctx, vehicle, call.nowMs), listSecond);
    }),
    vehicleRoute('GET', `/safety/search/${name}/day/{vin}`, (call, vehicle) => {
      const listSecond = readListSecond(call.url);
      const day = readDay(call.url, 'day');
      return body(vehicle, minuteOfDay(call.ctx, vehicle, day, call.nowMs), listSecond);
    }),
  ];
}

const crash = (call: V1Call, vehicle: SimVehicle) =>
  lastCrash(call.ctx, vehicle, call.nowMs, readListSecond(call.url));

export const telemetryRoutes: readonly V1Route[] = [
  vehicleRoute('GET', '/running/data/{vin}', running),
  checkedListRoute('/running/list', readListSecond, running),
  vehicleRoute('GET', '/running/data/lightstatus/{vin}', lights),
  checkedListRoute('/running/lightstatus/list', readListSecond, lights),
  vehicleRoute('GET', '/environment/get/{vin}', environment),
  checkedListRoute('/environment/list', readListSecond, environment),
  vehicleRoute('GET', '/place/lastposition/{vin}', position),
  vehicleRoute('GET', '/place/positions/trip/{vin}', tripPosition),
  ...assistanceRoutes('drivingassistance', drivingAssistance),
  ...assistanceRoutes('safetyassistance', safetyAssistance),
  vehicleRoute('GET', '/crash/get/{vin}', crash),
  checkedListRoute('/crash/list', readListSecond, crash),
  vehicleRoute('GET', '/crash/search/{vin}', (call, vehicle) =>
    searchCrashes(call.ctx, vehicle, call.nowMs, call.url),
  ),
];
