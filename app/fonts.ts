import localFont from 'next/font/local';

// Self-hosted from npm: nothing is downloaded at build or run time. Not preloaded and shown only
// if already at hand ('optional'): on a phone's slow first visit the 48 kB font would otherwise
// compete with the page's CSS and scripts and repaint the text late; from then on it is cached.
export const inter = localFont({
  src: '../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
  weight: '100 900',
  variable: '--font-inter',
  display: 'optional',
  preload: false,
});
