import { createRng, deriveSeed } from '../physics/random';
import { compileGlob, isFaultablePath, isV4Path, isVehicleSubResource } from './paths';
import {
  type FaultParams,
  type FaultRule,
  type FaultRulesDocument,
  faultRulesSchema,
  HTTP_FAULT_KINDS,
  type HttpFaultKind,
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

export type FaultRequest = { method: string; path: string; vehicleId: string | null };

export type FaultDecision = {
  kind: HttpFaultKind;
  params: FaultParams;
  /** Uniform in [0, 1), drawn after the rule fired: the fault's own choices (500 or 503). */
  roll: number;
};

type CompiledRule = {
  rule: FaultRule;
  kind: HttpFaultKind | null;
  endpoints: ((path: string) => boolean)[] | null;
  vehicles: ReadonlySet<string> | null;
};

export const DEFAULT_FAULT_SEED = 'kinetic-sim-faults';

const isHttpKind = (kind: string): kind is HttpFaultKind =>
  (HTTP_FAULT_KINDS as readonly string[]).includes(kind);

/** Where a kind makes sense at all; elsewhere its rule is skipped without drawing. */
function kindApplies(kind: HttpFaultKind, path: string): boolean {
  // The gateway's token answers only exist under /connectedcar/v4.
  if (kind === 'token_expired' || kind === 'token_revoked') return isV4Path(path);
  // A car that stops reporting still belongs to the account; only its data goes missing.
  if (kind === 'silent') return isVehicleSubResource(path);
  return true;
}

function compile(document: FaultRulesDocument): CompiledRule[] {
  return document.rules.map((rule) => ({
    rule,
    // Webhook kinds are stored but never fire on HTTP: they belong to the delivery channel.
    kind: isHttpKind(rule.kind) ? rule.kind : null,
    endpoints: rule.endpoints ? rule.endpoints.map(compileGlob) : null,
    vehicles: rule.vehicles ? new Set(rule.vehicles) : null,
  }));
}

export class FaultSwitchboard {
  readonly #seed: string | number;
  #document: FaultRulesDocument;
  #compiled: CompiledRule[];
  #requests = 0;

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
    return this.get();
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
      if (rng.next() < rule.rate) return { kind, params: { ...rule.params }, roll: rng.next() };
    }
    return null;
  }
}
