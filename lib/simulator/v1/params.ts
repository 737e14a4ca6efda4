import { V1Error } from './gateway';

// The common query parameters of v1 (vehicle-apis.md §7): `contract` and, on most operations,
// `locale` (`fr_FR`) and `brand` (`P` Peugeot, `C` Citroën or DS) are required; `unit` is 0 metric
// (default) or 1 imperial. A repeated parameter is ambiguous and refused.

export type V1Brand = 'P' | 'C';
export type V1Common = { contract: string; locale: string; brand: V1Brand; imperial: boolean };

function single(url: URL, name: string): string | undefined {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) throw new V1Error(400, `Query parameter ${name} must be given only once.`);
  return values[0];
}

function required(url: URL, name: string): string {
  const value = single(url, name);
  if (value === undefined || value === '') throw new V1Error(400, `Query parameter ${name} is required.`);
  return value;
}

export function readCommon(url: URL): V1Common {
  const contract = required(url, 'contract');
  if (contract.length > 64) throw new V1Error(400, 'Query parameter contract is too long.');
  const locale = required(url, 'locale');
  if (!/^[a-z]{2}_[A-Z]{2}$/.test(locale)) {
    throw new V1Error(400, 'Query parameter locale must look like fr_FR.');
  }
  const brand = required(url, 'brand');
  if (brand !== 'P' && brand !== 'C') throw new V1Error(400, 'Query parameter brand must be P or C.');
  const unit = single(url, 'unit') ?? '0';
  if (unit !== '0' && unit !== '1') throw new V1Error(400, 'Query parameter unit must be 0 or 1.');
  return { contract, locale, brand, imperial: unit === '1' };
}

/** The v1 brand letter of a car: P for Peugeot, C for Citroën and DS. */
export const brandLetter = (brand: string): V1Brand => (brand === 'peugeot' ? 'P' : 'C');
