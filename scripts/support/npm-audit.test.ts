import { describe, expect, it } from 'vitest';
import { judgeAudit } from './npm-audit';

// Reports in the shape npm 11's `npm audit --json` prints (auditReportVersion 2), and the answer it
// prints when the registry refuses the advisory request (recorded on this project's build machine).

const metadata = (counts: Partial<Record<'info' | 'low' | 'moderate' | 'high' | 'critical', number>>) => {
  const all = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts };
  const total = Object.values(all).reduce((sum, count) => sum + count, 0);
  return {
    vulnerabilities: { ...all, total },
    dependencies: { prod: 212, dev: 540, optional: 31, peer: 0, peerOptional: 0, total: 751 },
  };
};

const report = (vulnerabilities: Record<string, unknown>, counts: Parameters<typeof metadata>[0]) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: metadata(counts) });

const nextAdvisory = {
  name: 'next',
  severity: 'high',
  isDirect: true,
  via: [
    {
      source: 1109234,
      name: 'next',
      dependency: 'next',
      title: 'Next.js Server Actions source exposure',
      url: 'https://github.com/advisories/GHSA-w37m-7fhw-fmv9',
      severity: 'high',
      range: '>=16.0.0 <16.0.10',
    },
  ],
  effects: ['next-auth'],
  range: '16.0.0 - 16.0.9',
  nodes: ['node_modules/next'],
  fixAvailable: true,
};

describe('judgeAudit', () => {
  it('passes a report without findings, saying how many production packages it covered', () => {
    expect(judgeAudit(report({}, {}))).toEqual({ kind: 'clean', packages: 212, below: {} });
  });

  it('passes findings below high, and names them', () => {
    const moderate = {
      ...nextAdvisory,
      severity: 'moderate',
      via: [{ ...nextAdvisory.via[0], severity: 'moderate' }],
    };
    expect(judgeAudit(report({ next: moderate }, { moderate: 1, low: 2 }))).toEqual({
      kind: 'clean',
      packages: 212,
      below: { moderate: 1, low: 2 },
    });
  });

  it('fails on a high or critical finding, with the advisory and the packages it reaches through', () => {
    const verdict = judgeAudit(
      report(
        {
          next: nextAdvisory,
          'next-auth': {
            name: 'next-auth',
            severity: 'critical',
            isDirect: true,
            via: ['next'],
            effects: [],
          },
        },
        { high: 1, critical: 1 },
      ),
    );
    expect(verdict).toEqual({
      kind: 'findings',
      findings: [
        {
          name: 'next',
          severity: 'high',
          advisories: [
            'Next.js Server Actions source exposure https://github.com/advisories/GHSA-w37m-7fhw-fmv9',
          ],
        },
        { name: 'next-auth', severity: 'critical', advisories: ['through next'] },
      ],
    });
  });

  it('has no verdict when the registry refuses the advisory request', () => {
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      method: 'POST',
      uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      headers: { allow: ['GET,HEAD'] },
      statusCode: 405,
      body: '',
      error: { code: 'E405', summary: 'audit endpoint returned an error', detail: '' },
    });
    expect(judgeAudit(refused)).toEqual({
      kind: 'unavailable',
      reason: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
    });
  });

  it('has no verdict when npm printed an error without a message, or no JSON at all', () => {
    expect(
      judgeAudit(
        JSON.stringify({
          error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.' },
        }),
      ),
    ).toEqual({
      kind: 'unavailable',
      reason: 'This command requires an existing lockfile.',
    });
    expect(judgeAudit('')).toEqual({ kind: 'unavailable', reason: 'npm audit printed no report (nothing)' });
  });
});
