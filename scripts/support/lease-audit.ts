import { type Kysely, sql } from 'kysely';
import type { Database } from '../../lib/db/schema';

// MEASUREMENT SUPPORT ONLY (the sync benchmark, the scale-out test; PostgreSQL): a trigger on
// sync_state, installed in a benchmark's or test's own database, that writes every lease change
// to an audit table — taken (by whom, from whom) and given back (synced or not) — with the
// server's clock at the change. Changes to one car's row are serialised by its row lock, so per
// car the audit's ids are in commit order.

const STATEMENTS = [
  `create table sync_lease_audit (
     id bigserial primary key,
     vehicle_id text not null,
     worker text not null,
     event text not null,
     previous_owner text,
     synced boolean,
     at timestamptz not null default clock_timestamp()
   )`,
  `create function sync_lease_audit() returns trigger language plpgsql as $$
   begin
     if new.lease_owner is not null then
       insert into sync_lease_audit (vehicle_id, worker, event, previous_owner)
       values (new.vehicle_id, new.lease_owner, 'lease', old.lease_owner);
     else
       insert into sync_lease_audit (vehicle_id, worker, event, synced)
       values (new.vehicle_id, old.lease_owner, 'release', new.last_synced_at is distinct from old.last_synced_at);
     end if;
     return null;
   end $$`,
  `create trigger sync_lease_audit after update on sync_state for each row
   when (old.lease_owner is distinct from new.lease_owner) execute function sync_lease_audit()`,
];

export type LeaseAuditRow = {
  vehicle_id: string;
  /** The lease owner id (`host:pid:random`, lib/worker/sync-worker.ts). */
  worker: string;
  event: 'lease' | 'release';
  previous_owner: string | null;
  /** On a release: whether the sync recorded a result (last_synced_at moved). */
  synced: boolean | null;
  /** The database server's clock at the change, in microseconds since the epoch. */
  atMicros: number;
};

export async function installLeaseAudit(db: Kysely<Database>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

/** Every audited lease change, in the order they were written. */
export async function readLeaseAudit(db: Kysely<Database>): Promise<LeaseAuditRow[]> {
  const { rows } = await sql<Omit<LeaseAuditRow, 'atMicros'> & { at_us: string }>`
    select vehicle_id, worker, event, previous_owner, synced,
      (extract(epoch from at) * 1000000)::bigint as at_us
    from sync_lease_audit order by id
  `.execute(db);
  return rows.map(({ at_us, ...row }) => ({ ...row, atMicros: Number(at_us) }));
}

/** A lease from taken to given back: who held which car, when (server clock, µs). */
export type LeaseInterval = {
  vehicle: string;
  worker: string;
  fromMicros: number;
  toMicros: number;
  /** The holder recorded a sync result before giving it back. */
  synced: boolean;
};

/**
 * Replays the audit per car: each lease must be given back by its holder before the car is leased
 * again. Answers the closed leases and what broke that rule (a car leased while another worker
 * held it, given back by someone else, or still held at the end).
 */
export function leaseIntervals(rows: readonly LeaseAuditRow[]): {
  intervals: LeaseInterval[];
  problems: string[];
} {
  const open = new Map<string, LeaseAuditRow>();
  const intervals: LeaseInterval[] = [];
  const problems: string[] = [];
  for (const row of rows) {
    const held = open.get(row.vehicle_id);
    if (row.event === 'lease') {
      if (held) problems.push(`${row.vehicle_id}: leased by ${row.worker} while ${held.worker} held it`);
      open.set(row.vehicle_id, row);
      continue;
    }
    if (!held || held.worker !== row.worker) {
      problems.push(`${row.vehicle_id}: given back by ${row.worker}, held by ${held?.worker ?? 'nobody'}`);
      continue;
    }
    open.delete(row.vehicle_id);
    intervals.push({
      vehicle: row.vehicle_id,
      worker: row.worker,
      fromMicros: held.atMicros,
      toMicros: row.atMicros,
      synced: row.synced === true,
    });
  }
  for (const [vehicle, row] of open) problems.push(`${vehicle}: still leased by ${row.worker}`);
  return { intervals, problems };
}
