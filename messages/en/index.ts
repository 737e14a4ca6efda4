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

/** Every English message, by namespace. One file per namespace so features do not collide. */
export const en = {
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

export type EnglishMessages = typeof en;
