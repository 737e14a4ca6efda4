import { type ChildProcess, spawn } from 'node:child_process';
import { waitForHttp } from '../support/supervisor';

// The vehicle cloud as its own process for the benchmarks that load it (a load generator in the
// same process would share its event loop), with the test endpoints on, and the calls they share.

export async function startSimulator(port: number, options: { peers: number }): Promise<ChildProcess> {
  const child = spawn('node_modules/.bin/tsx', ['--conditions=react-server', 'scripts/simulator.ts'], {
    env: {
      ...process.env,
      SIM_PORT: String(port),
      SIM_PEERS: String(options.peers),
      SIM_TEST_TOKENS: '1',
      SIM_FAULTS: '',
    },
    stdio: 'ignore',
  });
  if (!(await waitForHttp(`http://localhost:${port}/health`, 60_000))) {
    child.kill('SIGTERM');
    throw new Error('the simulator did not answer /health within 60 s');
  }
  return child;
}

export async function simJson(url: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

export type SimOwner = {
  email: string;
  brand: string;
  vehicles: { id: string; vin: string; contract: string; brand: string; powertrain: string }[];
};

/** Owner `index` of the world and an access token of theirs (the test-token endpoint). */
export async function signedInOwner(
  base: string,
  index: number,
): Promise<{ owner: SimOwner; token: string }> {
  const page = (await simJson(`${base}/sim/owners?offset=${index}&limit=1`)) as { owners: SimOwner[] };
  const owner = page.owners[0];
  if (!owner) throw new Error(`no owner ${index}`);
  const tokens = (await simJson(`${base}/sim/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ owner: owner.email, brand: owner.brand }),
  })) as { access_token: string };
  return { owner, token: tokens.access_token };
}

export type SimClient = { brand: string; clientId: string; realm: string };

export async function simClients(base: string): Promise<Map<string, SimClient>> {
  const page = (await simJson(`${base}/sim/owners?limit=1`)) as { clients: SimClient[] };
  return new Map(page.clients.map((client) => [client.brand, client]));
}
