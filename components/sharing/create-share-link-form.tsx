'use client';

import { useActionState } from 'react';
import {
  type CreateShareLinkState,
  createShareLinkAction,
} from '@/app/(dashboard)/vehicles/[vehicleId]/score/actions';
import { Button } from '@/components/ui/button';
import { ShownOnceLink } from './shown-once-link';

export type CreateShareLinkLabels = {
  expiry: string;
  choices: Array<{ value: string; label: string }>;
  create: string;
  creating: string;
  created: string;
  copy: string;
  copied: string;
};

/** Makes a link to a score card or a board and shows it once (only its hash is kept), with a copy button. */
export function CreateShareLinkForm({
  vehicleId,
  board,
  defaultExpiry,
  labels,
}: {
  vehicleId: string;
  /** Set for a link to a leaderboard (lib/leaderboards/board-ref.ts); a score card otherwise. */
  board?: string;
  defaultExpiry: string;
  labels: CreateShareLinkLabels;
}) {
  const [state, action, pending] = useActionState<CreateShareLinkState, FormData>(createShareLinkAction, {});
  const url = state.token ? `${window.location.origin}/s/${state.token}` : null;
  return (
    <div className="flex flex-col gap-3">
      <form action={action} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="vehicleId" value={vehicleId} />
        {board ? <input type="hidden" name="board" value={board} /> : null}
        <label className="flex flex-col gap-1 text-sm">
          {labels.expiry}
          <select
            name="expiry"
            defaultValue={defaultExpiry}
            className="min-h-11 rounded-lg border border-border bg-surface px-3 text-fg"
          >
            {labels.choices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" disabled={pending}>
          {pending ? labels.creating : labels.create}
        </Button>
      </form>
      {state.error ? (
        <p role="alert" className="text-danger text-sm">
          {state.error}
        </p>
      ) : null}
      {url ? (
        <ShownOnceLink
          url={url}
          label={labels.created}
          copy={labels.copy}
          copied={labels.copied}
          testId="new-share-link"
        />
      ) : null}
    </div>
  );
}
