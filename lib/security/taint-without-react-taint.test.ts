import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The worker and the CLI run in plain Node (`tsx --conditions=react-server`, package.json) on the
// installed stable `react`, whose react-server build has no taint API. There lib/security/taint.ts
// must do nothing and break nothing: no missing-export error at import, no throw, values and
// objects untouched, the token path working. So this runs the helper exactly that way, in a child
// process, rather than under Vitest (whose module mocks would stand in for the import being tested).

const root = fileURLToPath(new URL('../..', import.meta.url));

const SCRIPT = `
import { randomBytes } from 'node:crypto';
import * as React from 'react';
import { TAINT_MESSAGES, taintAccountTokens, taintAvailable, taintObject, taintValue } from './lib/security/taint.ts';
import { createTokenCipher, openAccountTokens, sealAccountTokens } from './lib/crypto/token-cipher.ts';

const secret = randomBytes(32).toString('base64');
const holder = { secret };
taintValue(TAINT_MESSAGES.secret, holder, secret);
taintObject(TAINT_MESSAGES.accountTokens, holder);
const tokens = { accessToken: 'at-' + secret, refreshToken: 'rt-' + secret, expiresAt: 1, scopes: ['openid'] };
const same = taintAccountTokens(tokens) === tokens;
const cipher = createTokenCipher(randomBytes(32));
const opened = openAccountTokens(cipher, 'account-1', sealAccountTokens(cipher, 'account-1', tokens));
console.log(JSON.stringify({
  reactVersion: React.version,
  hasTaintApi: typeof React.experimental_taintUniqueValue === 'function',
  taintAvailable,
  same,
  holderUntouched: Object.keys(holder).length === 1 && holder.secret === secret,
  roundTrip: JSON.stringify(opened) === JSON.stringify(tokens),
}));
`;

describe('lib/security/taint.ts where React has no taint API (worker, CLI)', () => {
  it('does nothing, throws nothing and leaves the token path working', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      `${root}node_modules/.bin/tsx`,
      ['--conditions=react-server', '--input-type=module', '-e', SCRIPT],
      { cwd: root },
    );
    expect(stderr).toBe('');
    const result = JSON.parse(stdout);
    // The premise: this is the stable build, without the API (else the rest would prove nothing).
    expect(result.hasTaintApi).toBe(false);
    expect(result.reactVersion).not.toMatch(/experimental/);
    expect(result).toMatchObject({
      taintAvailable: false,
      same: true,
      holderUntouched: true,
      roundTrip: true,
    });
  });
});
