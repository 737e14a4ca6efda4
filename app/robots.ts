import type { MetadataRoute } from 'next';

// Search engines may read the public pages; shared links are listed by their prefix only, never
// one by one (docs/security-tests.md PV-04), and the signed-in dashboard is no one's business.
export default function robots(): MetadataRoute.Robots {
  return {
    rules: [
      {
        userAgent: '*',
        allow: ['/login', '/signup', '/methodology'],
        disallow: ['/s/', '/api/', '/vehicles/'],
      },
    ],
  };
}
