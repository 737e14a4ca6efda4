import type { EnglishMessages } from '../en';
import { alerts } from './alerts';
import { auth } from './auth';
import { cars } from './cars';
import { charging } from './charging';
import { common } from './common';
import { errors } from './errors';
import { glance } from './glance';
import { imports } from './imports';
import { leaderboard } from './leaderboard';
import { maintenance } from './maintenance';
import { methodology } from './methodology';
import { scores } from './scores';
import { settings } from './settings';
import { share } from './share';
import { telemetry } from './telemetry';
import { theme } from './theme';
import { trips } from './trips';

/** Tous les messages en français, par espace de noms. */
export const fr: EnglishMessages = {
  common,
  glance,
  telemetry,
  trips,
  charging,
  maintenance,
  scores,
  methodology,
  share,
  leaderboard,
  alerts,
  settings,
  auth,
  cars,
  imports,
  errors,
  theme,
};
