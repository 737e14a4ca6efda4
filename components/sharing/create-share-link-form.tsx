'use client';

import { useActionState, useState } from 'react';
import {
  type CreateShareLinkState,
  createShareLinkAction,
} from '@/app/(dashboard)/vehicles/[vehicleId]/score/actions';
import { Button } from '@/components/ui/button';

export type CreateShareLinkLabels = {
  expiry: string;
  choices: Array<{ value: string; label: string }>;
  create: string;
  creating: string;
  created: string;
  copy: string;
  copied: string;
};

/** Makes a link and shows it once (only its hash is kept), with a copy button. */
export function CreateShareLinkForm({
  vehicleId,
  defaultExpiry,
  labels,
}: {
  vehicleId: string;
  defaultExpiry: string;
  labels: CreateShareLinkLabels;
}) {
  const [state, action, pending] = useActionState<CreateShareLinkState, FormData>(createShareLinkAction, {});
  const [copied, setCopied] = useState<string | null>(null);
  const url = state.token ? `${window.location.origin}/s/${state.token}` : null;
  return (
    <div className="flex flex-col gap-3">
      <form action={action} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="vehicleId" value={vehicleId} />
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
        <div className="flex flex-col gap-2" role="status">
          <label htmlFor="new-share-link" className="text-sm">
            {labels.created}
          </label>
          <div className="flex gap-2">
            <input
              id="new-share-link"
              readOnly
              value={url}
              data-testid="new-share-link"
              className="min-h-11 min-w-0 flex-1 rounded-lg border border-border bg-surface-2 px-3 text-sm"
              onFocus={(event) => event.currentTarget.select()}
            />
            <Button
              type="button"
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(url).catch(() => {});
                setCopied(url);
              }}
            >
              {copied === url ? labels.copied : labels.copy}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
