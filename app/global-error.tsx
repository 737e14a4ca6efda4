'use client';

// Replaces the root layout when it fails, so it brings its own <html> and plain styles.
export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <html lang="en">
      <body
        style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem', maxWidth: '32rem', margin: '0 auto' }}
      >
        <h1>Kinetic could not load</h1>
        <p>Something went wrong on our side. Try again in a moment.</p>
        {error.digest ? (
          <p style={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>Reference: {error.digest}</p>
        ) : null}
        <button type="button" onClick={reset} style={{ padding: '0.6rem 1rem', minHeight: '44px' }}>
          Try again
        </button>
      </body>
    </html>
  );
}
