import 'server-only';
import { defaultSeverityOf } from '../../alerts/catalogue';
import type { AlertSeverity } from '../../telemetry/model';

// v1 alerts carry no severity, only a localized title, advice and group. Kinetic maps the title back
// to its code (the 4.17 AlertMsgEnum name, through GET /referential/alert) and decides the severity
// from the code with the alert catalogue's table (lib/alerts/catalogue.ts, shared with the
// dashboard), using the meanings v4 gives its three levels (vehicle-apis.md §5.7,
// [spec]): Critical = do not start (or drive on) without repair; Warning = fix as soon as possible;
// Information = fix when convenient.
//
// - Critical: a failure of something the car cannot be driven safely without (brakes, steering,
//   engine oil pressure or temperature, airbags, traction), a puncture, and every message that says
//   the car cannot start or must stop (`…StartingImpossible`, `…StopVehicle`, `…RepaireVehicle`).
// - Information: states the driver fixes at leisure or that are merely reported (a door or window
//   left open while parked, washer fluid, the key fob battery, ice risk, a filter regenerating,
//   preconditioning switched off, a driving aid switched off by the driver).
// - Warning: everything else, a fault to have repaired soon (`…Fault`, `…Low`, `…UnderInflated`,
//   worn pads, a door opened while moving, "starting impossible soon"…).
// - An alert whose title the catalogue does not know gets Warning: the owner should look at it, and
//   Kinetic will not call an unknown alert harmless nor alarming.

/** The severity of an alert code (null: the catalogue did not know the alert's title). */
export function alertSeverityOf(code: string | null): AlertSeverity {
  return code === null ? 'warning' : defaultSeverityOf(code);
}
