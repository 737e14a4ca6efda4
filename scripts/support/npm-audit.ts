import { execFile } from 'node:child_process';

// The dependency gate's online half (security-tests.md AC-18): `npm audit --omit=dev
// --audit-level=high` against the registry's advisory database. test/dependency-floors.test.ts is
// the offline half: it holds the advisories known when it was written, and this catches the ones
// published since. Some registries and mirrors do not serve the advisory endpoint (this project's
// build machine answers 405): then the audit has no verdict, which is said, not passed off as clean.

/** The severities that fail the gate. */
const BLOCKING = new Set(['high', 'critical']);
const AUDIT_TIMEOUT_MS = 120_000;

export type AuditFinding = { name: string; severity: string; advisories: string[] };

export type AuditVerdict =
  | { kind: 'clean'; packages: number; below: Record<string, number> }
  | { kind: 'findings'; findings: AuditFinding[] }
  | { kind: 'unavailable'; reason: string };

type Via = string | { title?: unknown; url?: unknown; severity?: unknown };
type Report = {
  auditReportVersion?: unknown;
  vulnerabilities?: Record<string, { severity?: unknown; via?: Via[] }>;
  metadata?: {
    vulnerabilities?: Record<string, unknown>;
    dependencies?: { prod?: unknown; total?: unknown };
  };
  message?: unknown;
  error?: { summary?: unknown; code?: unknown } | unknown;
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** What `npm audit --json` printed, judged: findings at high or above, clean, or no verdict. */
export function judgeAudit(stdout: string): AuditVerdict {
  let report: Report;
  try {
    report = JSON.parse(stdout) as Report;
  } catch {
    return {
      kind: 'unavailable',
      reason: `npm audit printed no report (${stdout.trim().slice(0, 120) || 'nothing'})`,
    };
  }
  if (report.auditReportVersion !== 2 || typeof report.vulnerabilities !== 'object' || !report.metadata) {
    const error = report.error as { summary?: unknown } | undefined;
    const reason = text(report.message) || text(error?.summary) || 'npm audit answered without a report';
    return { kind: 'unavailable', reason: reason.split('\n')[0] ?? reason };
  }
  const findings: AuditFinding[] = [];
  for (const [name, entry] of Object.entries(report.vulnerabilities ?? {})) {
    const severity = text(entry.severity);
    if (!BLOCKING.has(severity)) continue;
    const advisories = (entry.via ?? []).flatMap((via) =>
      typeof via === 'string' ? [`through ${via}`] : [`${text(via.title)} ${text(via.url)}`.trim()],
    );
    findings.push({ name, severity, advisories });
  }
  if (findings.length > 0) return { kind: 'findings', findings };
  const below: Record<string, number> = {};
  for (const [severity, count] of Object.entries(report.metadata.vulnerabilities ?? {}))
    if (typeof count === 'number' && count > 0 && severity !== 'total') below[severity] = count;
  const prod = report.metadata.dependencies?.prod;
  return { kind: 'clean', packages: typeof prod === 'number' ? prod : 0, below };
}

/** Runs the audit of the production dependencies in `cwd` and judges it. */
export function auditProductionDependencies(cwd: string, env: NodeJS.ProcessEnv): Promise<AuditVerdict> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--audit-level=high', '--json'],
      { cwd, env, timeout: AUDIT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      // npm audit exits non-zero both for findings and for a failed request: the JSON tells which.
      (error, stdout) => {
        if (error && !stdout)
          resolve({ kind: 'unavailable', reason: `npm audit did not run: ${error.message}` });
        else resolve(judgeAudit(stdout));
      },
    );
  });
}
