// Flags for Debian's Chromium on these machines, shared by the Playwright suite and the
// benchmarks: headless as root, and no background network traffic (the network is closed, and
// Chromium's attempts to reach its services only add noise and refused connections).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
