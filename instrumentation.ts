// Runs once when a Next server starts (`next start` or `next dev`, with or without the
// supervisor): validating the configuration here makes a bad value stop start-up with a message
// naming the variable, instead of failing on the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { loadServerConfig } = await import('./lib/startup-check');
  await loadServerConfig();
  // Uploads a killed process was spooling (up to the upload limit each) would stay in the
  // temporary folder for good.
  const { sweepOrphanedUploads } = await import('./lib/import/upload-spool');
  await sweepOrphanedUploads().catch((error: unknown) =>
    console.error(
      `[start] could not sweep old uploads: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
}
