import type { EnglishMessages } from '../en';
import { alerts } from './alerts';
import { charging } from './charging';
import { common } from './common';
import { glance } from './glance';
import { maintenance } from './maintenance';
import { settings } from './settings';
import { telemetry } from './telemetry';
import { trips } from './trips';

/** Tous les messages en français, par espace de noms. */
export const fr: EnglishMessages = {
  common,
  glance,
  telemetry,
  trips,
  charging,
  maintenance,
  alerts,
  settings,
};
