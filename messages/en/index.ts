import { alerts } from './alerts';
import { charging } from './charging';
import { common } from './common';
import { glance } from './glance';
import { maintenance } from './maintenance';
import { settings } from './settings';
import { telemetry } from './telemetry';
import { trips } from './trips';

/** Every English message, by namespace. One file per namespace so features do not collide. */
export const en = { common, glance, telemetry, trips, charging, maintenance, alerts, settings };

export type EnglishMessages = typeof en;
