import 'server-only';
import type { ChargingSession, Sample, Source } from '../model';
import { canonicalSamples } from './samples';

// Charging sessions of electric and hybrid cars from samples (charging state and battery level
// over time), for sources that give no sessions of their own — the rules, in plain words:
//
//  1. Readings are canonical first (samples.ts): order and repeated rows change nothing.
//  2. A session is made of the readings whose charging state is `charging`. It starts at the
//     first and ends at the last of them.
//  3. Brief interruptions are merged: two charging readings belong to the same session when they
//     are at most 15 minutes apart and no reading between them says the cable is `disconnected`.
//     Chargers pause for load balancing, a scheduled pause or a grid hiccup and resume by
//     themselves within minutes; a car unplugged and plugged in again is a new session, however
//     soon. 15 minutes is our own choice: the longest such pause we consider one charge, and
//     three polls of a source polling every 5 minutes while charging. (TeslaMate polls every
//     5 s while charging, product-anchors "TeslaMate logging"; a source polling slower than
//     every 15 minutes yields one session per reading.)
//  4. Levels. The start level is the first battery level read within the session, the end level
//     the last; null when the session has none.
//  5. Energy added = (end level − start level) ÷ 100 × usable capacity, when the capacity is known
//     and the level did not fall (a fall while "charging" is bad data: unknown). This is the
//     energy stored in the battery, not drawn from the grid (charging losses are not counted).
//     Average power = energy added ÷ duration; null for a zero-length session.
//  6. Unfinished. When the caller says up to when the data is complete (`now`), a last session
//     whose latest charging reading is less than 15 minutes old and which no `disconnected`
//     reading has ended is still under way: it has no end (`endedAt` absent).

/** Longest pause merged into one session (rule 3). */
export const MERGE_PAUSE_MS = 15 * 60_000;

export type ChargingOptions = {
  /** Usable battery capacity, kWh (rule 5). */
  usableBatteryKwh?: number;
  /** Epoch ms up to which the data is complete (rule 6). */
  now?: number;
  /** Where the derived records say they come from; default the first reading's provider. */
  source?: Source;
};

const MS_PER_HOUR = 3_600_000;

export function chargingSessions(input: readonly Sample[], options: ChargingOptions = {}): ChargingSession[] {
  const samples = canonicalSamples(input);
  const groups: Sample[][] = [];
  let current: Sample[] | null = null;
  let lastCharging: Sample | null = null;
  let unplugged = false;
  for (const sample of samples) {
    if (sample.charging === 'disconnected') unplugged = true;
    if (sample.charging !== 'charging') {
      if (current !== null) current.push(sample);
      continue;
    }
    const continues =
      current !== null &&
      lastCharging !== null &&
      !unplugged &&
      sample.at - lastCharging.at <= MERGE_PAUSE_MS;
    if (!continues) {
      if (current !== null) groups.push(current);
      current = [];
    }
    (current as Sample[]).push(sample);
    lastCharging = sample;
    unplugged = false;
  }
  if (current !== null) groups.push(current);

  const sessions: ChargingSession[] = [];
  for (const [index, group] of groups.entries()) {
    // Readings after the last charging one belong to the pause that ended the session.
    const charging = group.filter((sample) => sample.charging === 'charging');
    const last = charging[charging.length - 1] as Sample;
    const within = group.filter((sample) => sample.at <= last.at);
    const first = within[0] as Sample;
    const source: Source = options.source ?? {
      provider: first.source.provider,
      ref: 'derived: charging sessions',
    };
    const session: ChargingSession = { startedAt: first.at, source };

    const ongoing =
      index === groups.length - 1 &&
      options.now !== undefined &&
      options.now - last.at < MERGE_PAUSE_MS &&
      !group.some((sample) => sample.at > last.at && sample.charging === 'disconnected');

    const levels = within.filter((sample) => sample.batteryLevelPct !== undefined);
    const startLevel = levels[0]?.batteryLevelPct;
    const endLevel = levels[levels.length - 1]?.batteryLevelPct;
    if (startLevel !== undefined) session.startLevelPct = startLevel;
    if (ongoing) {
      sessions.push(session);
      continue;
    }
    session.endedAt = last.at;
    if (endLevel !== undefined) session.endLevelPct = endLevel;
    if (
      startLevel !== undefined &&
      endLevel !== undefined &&
      endLevel >= startLevel &&
      options.usableBatteryKwh
    ) {
      const energy = ((endLevel - startLevel) / 100) * options.usableBatteryKwh;
      session.energyAddedKwh = energy;
      const hours = (last.at - first.at) / MS_PER_HOUR;
      if (hours > 0) session.avgPowerKw = energy / hours;
    }
    sessions.push(session);
  }
  return sessions;
}
