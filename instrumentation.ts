// Runs once when a Next server starts (`next start` or `next dev`, with or without the
// supervisor): validating the configuration here makes a bad value stop start-up with a message
// naming the variable, instead of failing on the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { loadServerConfig } = await import('./lib/startup-check');
  await loadServerConfig();
}
