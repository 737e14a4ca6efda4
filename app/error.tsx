'use client';

export default function RootError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main
      role="alert"
      className="mx-auto flex min-h-[60dvh] max-w-md flex-col items-start justify-center gap-4 px-4"
    >
      <h1 className="font-semibold text-2xl tracking-tight">Something went wrong</h1>
      <p className="text-muted">Try again in a moment.</p>
      {error.digest ? <p className="font-mono text-muted text-xs">Reference: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="min-h-11 rounded-lg bg-accent px-4 text-accent-fg">
        Try again
      </button>
    </main>
  );
}
