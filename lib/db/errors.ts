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

/**
 * SQLSTATEs that mean the server cannot serve right now, not that the query was wrong: class 08
 * (connection exception) and the shutdown/start-up codes of class 57 (`57P01` admin_shutdown when
 * a fast stop ends the session, `57P02` crash_shutdown, `57P03` cannot_connect_now while the
 * server starts or stops).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3])$/;
/**
 * Socket errors of a connection to the database server that is refused or cut. Only with the
 * failed system call named (`connect`, `read`, `write`), as the operating system reports them:
 * Node's own `aborted` (a browser that gave up on its upload) also says ECONNRESET, without one.
 */
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
/** pg's own errors for a connection that ended or could not be made (they carry no code). */
const UNAVAILABLE_PG_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * True when a query failed because the database server is unreachable or restarting (PostgreSQL
 * stopped, restarting, or the network to it cut) — a moment to wait out, not a bug.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // Node tries every address of a name in turn (`localhost`: ::1, then 127.0.0.1) and reports
  // each refusal inside one AggregateError.
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code)) return true;
  const syscall = (error as { syscall?: unknown }).syscall;
  if (typeof code === 'string' && typeof syscall === 'string' && UNAVAILABLE_SOCKET.has(code)) return true;
  return UNAVAILABLE_PG_MESSAGE.test(error.message);
}
