import { randomUUID } from 'node:crypto';
import type { APIRequestContext, APIResponse, PlaywrightWorkerArgs } from '@playwright/test';
import { apiSignIn, createUser, uniqueEmail } from './accounts';
import { giveOwnerObjects } from './owner-objects';
import { importFixtureDrive } from './owners';
import type { Ids } from './route-registry';

// A fresh owner holding one of every object the route registry names (a car with trips and a
// charge, an alert, a share link, a place on the boards, a tagged trip, a car account), signed in
// through the API. The access-control suites call every page and route on these ids.

export type FullOwner = {
  email: string;
  /** The car's name: a canary no other owner's answer may contain. */
  label: string;
  request: APIRequestContext;
  ids: Ids;
  /** The share link's token (shown once, at creation). */
  shareToken: string;
};

/** The JSON of a 2xx answer; anything else throws with the answer's text. */
export async function okJson(response: APIResponse, what: string): Promise<unknown> {
  if (!response.ok()) throw new Error(`${what} answered ${response.status()}: ${await response.text()}`);
  return response.json();
}

export async function ownerWithEverything(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseUrl: string,
  tag: string,
): Promise<FullOwner> {
  const email = uniqueEmail(tag);
  const label = `MATRIX-${tag.toUpperCase()}-${randomUUID().slice(0, 6)}`;
  await createUser(email, { baseUrl });
  const request = await playwright.request.newContext({ baseURL: baseUrl });
  await apiSignIn(request, email);
  // A hybrid: it has charges as well as trips.
  const imported = await importFixtureDrive(request, label, 'hybrid');
  const vehicleId = imported.vehicleId;
  const { accountId } = giveOwnerObjects(email, vehicleId, baseUrl);
  const { alerts } = (await okJson(await request.get(`/api/alerts?vehicleId=${vehicleId}`), 'alerts')) as {
    alerts: { id: string }[];
  };
  const { charges } = (await okJson(
    await request.get(`/api/charging?vehicleId=${vehicleId}`),
    'charges',
  )) as {
    charges: { id: string }[];
  };
  const { link } = (await okJson(
    await request.post(`/api/vehicles/${vehicleId}/share-links`, { data: { expiresInDays: 30 } }),
    'a share link',
  )) as { link: { id: string; token: string } };
  await okJson(await request.put(`/api/vehicles/${vehicleId}/leaderboard/listing`), 'joining the boards');
  const tripId = imported.tripIds[0] as string;
  await okJson(
    await request.put(`/api/vehicles/${vehicleId}/trips/${tripId}/tag`, { data: { tag: 'private' } }),
    'a trip tag',
  );
  const ids: Ids = {
    vehicleId,
    tripId,
    chargeId: charges[0]?.id ?? '',
    alertId: alerts[0]?.id ?? '',
    accountId,
    linkId: link.id,
  };
  for (const [name, id] of Object.entries(ids)) if (!id) throw new Error(`${tag} has no ${name}`);
  return { email, label, request, ids, shareToken: link.token };
}
