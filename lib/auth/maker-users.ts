import 'server-only';
import { createHash } from 'node:crypto';

/**
 * Kinetic users created by signing in with a maker identity get a placeholder address under this
 * reserved domain (the maker's e-mail is never used to match or merge accounts); sign-up refuses
 * the domain, and such users have no password. The subject is hashed: IdP subjects are
 * case-sensitive and may hold any character, e-mail addresses here are neither.
 */
export const MAKER_EMAIL_DOMAIN = 'maker.kinetic.local';

export function makerEmail(brand: string, makerSubject: string): string {
  const digest = createHash('sha256').update(`${brand}\0${makerSubject}`).digest('hex').slice(0, 32);
  return `${brand}-${digest}@${MAKER_EMAIL_DOMAIN}`;
}

export const isMakerEmail = (email: string) => email.toLowerCase().endsWith(`@${MAKER_EMAIL_DOMAIN}`);
