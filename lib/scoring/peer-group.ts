// The peer group a car's driver is ranked in: the same powertrain in the same market segment
// ("petrol · B-segment"), so a city car is not measured against a motorway diesel and an electric
// car's regenerative braking is not compared with a petrol engine's. Pure and isomorphic.

import { type Segment, segmentOf } from '../vehicles/segments';

export type PeerGroup = {
  /** Stable identifier, e.g. `petrol:B`. */
  key: string;
  /** In English, e.g. `petrol · B-segment` (the CLI's; pages word it from `powertrain` and `segment`). */
  label: string;
  powertrain: string;
  segment: Segment;
};

const SEGMENT_LABELS: Readonly<Record<Segment, string>> = {
  B: 'B-segment',
  'SUV-B': 'B-SUV',
  C: 'C-segment',
  'SUV-C': 'C-SUV',
  D: 'D-segment',
  other: 'other models',
};

/** A maker that does not state the fuel (PSA v4 "Thermic", v1) leaves the powertrain unknown. */
const powertrainLabel = (powertrain: string) => (powertrain === 'unknown' ? 'fuel not stated' : powertrain);

export function peerGroupOf(vehicle: { powertrain: string; model: string }): PeerGroup {
  const segment = segmentOf(vehicle.model);
  return {
    key: `${vehicle.powertrain}:${segment}`,
    label: `${powertrainLabel(vehicle.powertrain)} · ${SEGMENT_LABELS[segment]}`,
    powertrain: vehicle.powertrain,
    segment,
  };
}

/** The arguments of the `group` messages (ICU select keys cannot hold a hyphen: `SUV-B` → `suvb`). */
export function peerGroupMessageArgs(group: { powertrain: string; segment: string }) {
  return { powertrain: group.powertrain, segment: group.segment.toLowerCase().replace('-', '') };
}
