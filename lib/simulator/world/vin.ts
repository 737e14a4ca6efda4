// Vehicle identification numbers in the ISO 3779 layout: WMI (3) + descriptor (5) + check digit +
// model year + plant + serial (6). European VINs need not carry the check digit, but computing it
// makes the numbers pass any validator an adapter might apply.

const TRANSLITERATION: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
// Model-year letters (I, O, Q, U, Z and 0 are never used).
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';

function transliterate(char: string): number {
  return /\d/.test(char) ? Number(char) : (TRANSLITERATION[char] ?? 0);
}

export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += transliterate(vin[i] ?? '0') * (WEIGHTS[i] ?? 0);
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

export function isValidVin(vin: string): boolean {
  return /^[A-HJ-NPR-Z0-9]{17}$/.test(vin) && vin[8] === vinCheckDigit(vin);
}

/** A VIN for the serial-th car of a model line; distinct serials give distinct VINs. */
export function makeVin(input: {
  wmi: string;
  descriptor: string;
  modelYear: number;
  plant: string;
  serial: number;
}): string {
  const descriptor = input.descriptor
    .toUpperCase()
    .split('')
    .map((char) => (VIN_ALPHABET.includes(char) ? char : '0'))
    .join('')
    .padEnd(5, '0')
    .slice(0, 5);
  const year = YEAR_CODES[(input.modelYear - 2010 + 30 * 10) % 30] ?? 'A';
  const serial = String(input.serial % 1_000_000).padStart(6, '0');
  const draft = `${input.wmi.slice(0, 3)}${descriptor}0${year}${input.plant.slice(0, 1)}${serial}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}
