// The four brands of the simulated vehicle cloud, with the OAuth realms the real PSA identity
// providers use (docs: vehicle-apis.md §2.1). Client ids and secrets are the simulator's own.

export const SIM_BRANDS = ['peugeot', 'citroen', 'ds', 'opel'] as const;
export type SimBrand = (typeof SIM_BRANDS)[number];

export const BRAND_INFO: Record<
  SimBrand,
  { label: string; realm: string; emailDomain: string; idpDomain: string }
> = {
  peugeot: {
    label: 'Peugeot',
    realm: 'clientsB2CPeugeot',
    emailDomain: 'mypeugeot.sim',
    idpDomain: 'peugeot.com',
  },
  citroen: {
    label: 'Citroën',
    realm: 'clientsB2CCitroen',
    emailDomain: 'mycitroen.sim',
    idpDomain: 'citroen.com',
  },
  ds: { label: 'DS', realm: 'clientsB2CDS', emailDomain: 'myds.sim', idpDomain: 'driveds.com' },
  opel: { label: 'Opel', realm: 'clientsB2COpel', emailDomain: 'myopel.sim', idpDomain: 'opel.com' },
};

export function isSimBrand(value: string): value is SimBrand {
  return (SIM_BRANDS as readonly string[]).includes(value);
}
