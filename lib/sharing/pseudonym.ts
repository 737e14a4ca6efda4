import 'server-only';
import { randomInt } from 'node:crypto';

// A random pseudonym per shared link ("Amber Heron 27"): never derived from the owner's name or
// e-mail, and different on every link, so a reader cannot tell that two links are one person's
// (docs/security-tests.md PV-07, PV-09). 24 × 24 × 90 = 51,840 names: a name, not an identifier.

const ADJECTIVES = [
  'Amber',
  'Azure',
  'Brisk',
  'Calm',
  'Cobalt',
  'Coral',
  'Crimson',
  'Dusky',
  'Golden',
  'Hazel',
  'Ivory',
  'Jade',
  'Lively',
  'Lunar',
  'Misty',
  'Nimble',
  'Olive',
  'Quiet',
  'Rapid',
  'Scarlet',
  'Silver',
  'Steady',
  'Swift',
  'Teal',
];
const ANIMALS = [
  'Badger',
  'Bison',
  'Crane',
  'Falcon',
  'Finch',
  'Fox',
  'Gazelle',
  'Hare',
  'Heron',
  'Ibex',
  'Jaguar',
  'Kestrel',
  'Lynx',
  'Marten',
  'Otter',
  'Owl',
  'Panther',
  'Puffin',
  'Raven',
  'Robin',
  'Seal',
  'Swallow',
  'Tern',
  'Wolf',
];

export function randomPseudonym(): string {
  const adjective = ADJECTIVES[randomInt(ADJECTIVES.length)] as string;
  const animal = ANIMALS[randomInt(ANIMALS.length)] as string;
  return `${adjective} ${animal} ${randomInt(10, 100)}`;
}
