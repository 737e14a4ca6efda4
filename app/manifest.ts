import type { MetadataRoute } from 'next';

// The web app manifest (served at /manifest.webmanifest): what makes Kinetic installable on a
// phone. Colours are the light theme's tokens of app/globals.css (--accent for the bar, --bg for
// the splash screen). The PNG icons are public/icon.svg rendered at 192 and 512 px; the maskable
// ones (public/icons/maskable.svg) keep the gauge inside the central safe zone on a full-bleed
// background, so a launcher's circle or squircle mask never cuts it.
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: '/',
    name: 'Kinetic',
    short_name: 'Kinetic',
    description: 'Your car, your driving, at a glance.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    theme_color: '#1d4ed8',
    background_color: '#f6f7f9',
    categories: ['navigation', 'utilities'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  };
}
