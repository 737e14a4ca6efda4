import { rfc3339 } from './hal';

// GeoJSON positions as v4 writes them (vehicle-apis.md §5.3): a Feature with a Point in
// [longitude, latitude, altitude] order and the fix's own properties.

export type PositionInput = {
  lat: number;
  lon: number;
  /** When the fix was taken. */
  createdAtMs: number;
  headingDeg?: number;
  /** Positions without a fresh GPS fix are dead-reckoned: `Estimated`, no fixStatus. */
  estimated?: boolean;
};

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * Ground altitude in metres: a smooth, deterministic relief (plains 20–200 m, some hills), so a
 * place always has the same altitude and a route climbs and falls gently.
 */
export function altitudeAt(lat: number, lon: number): number {
  const relief = Math.sin(lat * 7.1) * Math.cos(lon * 5.3) + 0.5 * Math.sin(lat * 23.7 + lon * 19.1) + 0.8;
  return Math.round(20 + Math.max(0, relief) * 110);
}

export function positionFeature(input: PositionInput) {
  const properties: Record<string, unknown> = { createdAt: rfc3339(input.createdAtMs) };
  if (input.headingDeg !== undefined) properties.heading = Math.round(input.headingDeg) % 360;
  if (input.estimated) {
    properties.type = 'Estimated';
  } else {
    properties.type = 'Acquire';
    properties.signalQuality = 9;
    properties.fixStatus = '3D';
  }
  return {
    type: 'Feature',
    geometry: {
      type: 'Point',
      coordinates: [round(input.lon, 6), round(input.lat, 6), altitudeAt(input.lat, input.lon)],
    },
    properties,
  };
}
