// The owner's display units. The API and the database are metric; only the screen converts.
// Client-safe (no server-only): charts and tables convert in the browser.

export const SPEED_UNITS = ['kmh', 'mph'] as const;
/** Fuel economy: litres per 100 km, miles per US or imperial gallon, km per litre. */
export const FUEL_UNITS = ['l100km', 'mpg_us', 'mpg_uk', 'kml'] as const;
/** Electric consumption: kWh per 100 km, or miles per kWh. */
export const ENERGY_UNITS = ['kwh100km', 'mikwh'] as const;

export type SpeedUnit = (typeof SPEED_UNITS)[number];
export type FuelUnit = (typeof FUEL_UNITS)[number];
export type EnergyUnit = (typeof ENERGY_UNITS)[number];

/** Distances follow the speed unit (km with km/h, miles with mph). */
export type UnitPreferences = { speed: SpeedUnit; fuel: FuelUnit; energy: EnergyUnit };

export const METRIC_UNITS: UnitPreferences = { speed: 'kmh', fuel: 'l100km', energy: 'kwh100km' };
