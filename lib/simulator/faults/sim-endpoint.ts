import { HttpError } from '../http';
import { parseFaultRules } from './rules';
import type { FaultSwitchboard } from './switchboard';

/** `POST /sim/faults`: validates the body and replaces every rule; an invalid body changes nothing. */
export function changeFaults(faults: FaultSwitchboard, body: unknown) {
  const parsed = parseFaultRules(body);
  if (!parsed.ok) throw new HttpError(400, 'bad_request', parsed.message);
  return faults.set(parsed.rules);
}
