import { createRng, deriveSeed } from '../physics/random';
import {
  compileGlob,
  isApiPath,
  isFaultablePath,
  isTokenEndpointPath,
  isV4Path,
  isVehicleSubResource,
  v1VinOf,
} from './paths';
import {
  type FaultParams,
  type FaultRule,
  type FaultRulesDocument,
  faultRulesSchema,
  HTTP_FAULT_KINDS,
  type HttpFaultKind,
  ID_TOKEN_FAULT_KINDS,
  type IdTokenFaultKind,
  WEBHOOK_FAULT_KINDS,
  type WebhookFaultKind,
} from './rules';

// The simulator's fault switches (interfaces.md › Simulator, security-tests.md part C): the
// current rules, and for each request whether one of them fires.
//
// Randomness is reproducible: the n-th request to a vehicle-cloud path since the last `set` draws
// from `createRng(deriveSeed(seed, 'faults', n))`, one draw per matching rule in rule order, plus
// one more (`roll`) for the fault's own choices once a rule fires. The same seed, rules and request
// order therefore give the same faults whatever happened before the rules were set, and each
// request's draws depend on its number only, not on how many draws earlier requests used. The
// seed is SIM_SEED in `npm run simulator`, DEFAULT_FAULT_SEED otherwise.
//
// Webhook messages are counted apart, the same way: the n-th message raised since the last `set`
// draws from `createRng(deriveSeed(seed, 'webhook-faults', n))`, against the webhook kinds only
// (HTTP kinds never touch deliveries, webhook kinds never touch HTTP requests).

export type FaultRequest = { method: string; path: string; vehicleId: string | null };

/** A webhook message about to be queued: its target's URL path and the car it is about. */
export type DeliveryFaultRequest = { path: string; vehicleId: string | null };

export type DeliveryFaultDecision = {
  kind: WebhookFaultKind;
  params: FaultParams;
  /** Uniform in [0, 1), drawn after the rule fired. */
  roll: number;
};

/**
 * What the switchboard decided since the rules were last set: the vehicle-cloud requests it saw
 * and the faults it handed out per kind (for HTTP and for webhook messages). A decided fault is a
 * served one: the fault layer applies every decision it gets (FaultLayer, apply.ts).
 */
export type FaultTally = {
  requests: number;
  faults: Partial<Record<HttpFaultKind, number>>;
  messages: number;
  deliveryFaults: Partial<Record<WebhookFaultKind, number>>;
};

export type FaultDecision = {
  kind: HttpFaultKind;
  params: FaultParams;
  /** Uniform in [0, 1), drawn after the rule fired: the fault's own choices (500 or 503). */
  roll: number;
};

type CompiledRule = {
  rule: FaultRule;
  kind: HttpFaultKind | null;
  webhookKind: WebhookFaultKind | null;
  endpoints: ((path: string) => boolean)[] | null;
  vehicles: ReadonlySet<string> | null;
};

export const DEFAULT_FAULT_SEED = 'kinetic-sim-faults';

const isIdTokenKind = (kind: string): kind is IdTokenFaultKind =>
  (ID_TOKEN_FAULT_KINDS as readonly string[]).includes(kind);
const isHttpKind = (kind: string): kind is HttpFaultKind =>
  (HTTP_FAULT_KINDS as readonly string[]).includes(kind);
const isWebhookKind = (kind: string): kind is WebhookFaultKind =>
  (WEBHOOK_FAULT_KINDS as readonly string[]).includes(kind);

/** Where a kind makes sense at all; elsewhere its rule is skipped without drawing. */
function kindApplies(kind: HttpFaultKind, path: string): boolean {
  // The gateway's token answers only exist under /connectedcar/v4.
  if (kind === 'token_expired' || kind === 'token_revoked') return isV4Path(path);
  // A car that stops reporting still belongs to the account; only its data goes missing.
  // (v1 names the car by VIN in the path: any such path is the car's data.)
  // The subscription's quota is the API gateway's, not the identity providers'.
  if (kind === 'quota_exceeded') return isApiPath(path);
  // Only v4's vehicle resources name the car.
  if (kind === 'hostile_names') return isV4Path(path);
  // Only the token endpoint issues id_tokens.
  if (isIdTokenKind(kind)) return isTokenEndpointPath(path);
  if (kind === 'silent') return isVehicleSubResource(path) || v1VinOf(path) !== null;
  return true;
}

function compile(document: FaultRulesDocument): CompiledRule[] {
  return document.rules.map((rule) => ({
    rule,
    // Webhook kinds never fire on HTTP: they belong to the delivery channel (pickDelivery).
    kind: isHttpKind(rule.kind) ? rule.kind : null,
    webhookKind: isWebhookKind(rule.kind) ? rule.kind : null,
    endpoints: rule.endpoints ? rule.endpoints.map(compileGlob) : null,
    vehicles: rule.vehicles ? new Set(rule.vehicles) : null,
  }));
}

export class FaultSwitchboard {
  readonly #seed: string | number;
  #document: FaultRulesDocument;
  #compiled: CompiledRule[];
  #requests = 0;
  #messages = 0;
  #faults: FaultTally['faults'] = {};
  #deliveryFaults: FaultTally['deliveryFaults'] = {};

  constructor(document: FaultRulesDocument = { rules: [] }, options: { seed?: string | number } = {}) {
    this.#seed = options.seed ?? DEFAULT_FAULT_SEED;
    this.#document = faultRulesSchema.parse(document);
    this.#compiled = compile(this.#document);
  }

  /** The current rules, as a copy the caller may keep or change. */
  get(): FaultRulesDocument {
    return structuredClone(this.#document);
  }

  /**
   * Replaces every rule at once and restarts the request count. Validates first (throws on an
   * invalid document) and compiles before swapping, so a request sees the old rules or the new,
   * never a mix.
   */
  set(document: FaultRulesDocument): FaultRulesDocument {
    const next = faultRulesSchema.parse(structuredClone(document));
    const compiled = compile(next);
    this.#document = next;
    this.#compiled = compiled;
    this.#requests = 0;
    this.#messages = 0;
    this.#faults = {};
    this.#deliveryFaults = {};
    return this.get();
  }

  /**
   * The counts since the last `set` (or since the start): a long test reports how many faulty
   * answers a run was actually served, not only the rates it asked for.
   */
  tally(): FaultTally {
    return {
      requests: this.#requests,
      faults: { ...this.#faults },
      messages: this.#messages,
      deliveryFaults: { ...this.#deliveryFaults },
    };
  }

  /** The fault for this request, or null to answer it normally. The first rule that fires wins. */
  pick(request: FaultRequest): FaultDecision | null {
    if (this.#compiled.length === 0 || !isFaultablePath(request.path)) return null;
    this.#requests += 1;
    const rng = createRng(deriveSeed(this.#seed, 'faults', this.#requests));
    for (const { rule, kind, endpoints, vehicles } of this.#compiled) {
      if (kind === null || !kindApplies(kind, request.path)) continue;
      if (endpoints && !endpoints.some((matches) => matches(request.path))) continue;
      if (vehicles && (request.vehicleId === null || !vehicles.has(request.vehicleId))) continue;
      if (rng.next() < rule.rate) {
        this.#faults[kind] = (this.#faults[kind] ?? 0) + 1;
        return { kind, params: { ...rule.params }, roll: rng.next() };
      }
    }
    return null;
  }

  /**
   * The fault for one webhook message, or null to deliver it normally. `endpoints` globs match the
   * webhook target's URL path, `vehicles` the car the message is about. The first rule that fires
   * wins.
   */
  pickDelivery(request: DeliveryFaultRequest): DeliveryFaultDecision | null {
    if (!this.#compiled.some((compiled) => compiled.webhookKind !== null)) return null;
    this.#messages += 1;
    const rng = createRng(deriveSeed(this.#seed, 'webhook-faults', this.#messages));
    for (const { rule, webhookKind, endpoints, vehicles } of this.#compiled) {
      if (webhookKind === null) continue;
      if (endpoints && !endpoints.some((matches) => matches(request.path))) continue;
      if (vehicles && (request.vehicleId === null || !vehicles.has(request.vehicleId))) continue;
      if (rng.next() < rule.rate) {
        this.#deliveryFaults[webhookKind] = (this.#deliveryFaults[webhookKind] ?? 0) + 1;
        return { kind: webhookKind, params: { ...rule.params }, roll: rng.next() };
      }
    }
    return null;
  }
}
