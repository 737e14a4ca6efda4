import 'server-only';

/**
 * The simulated peers' Kinetic users live under this reserved domain (no password, never a
 * sign-in): the worker creates them, health counts them, and sign-up refuses the domain.
 */
export const PEER_EMAIL_DOMAIN = 'peers.kinetic.local';
export const peerEmail = (makerSubject: string) => `peer-${makerSubject}@${PEER_EMAIL_DOMAIN}`;
export const isPeerEmail = (email: string) => email.toLowerCase().endsWith(`@${PEER_EMAIL_DOMAIN}`);
