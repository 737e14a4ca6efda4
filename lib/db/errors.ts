import 'server-only';

/** True when an insert or update broke a UNIQUE constraint, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** True when PostgreSQL refused with this SQLSTATE (`42P07` duplicate table, …). */
export function isPostgresError(error: unknown, sqlState: string): boolean {
  return (error as { code?: unknown } | null)?.code === sqlState;
}
