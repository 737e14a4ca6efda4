'use client';

import { useActionState } from 'react';
import {
  createGroupAction,
  type InviteState,
  renewInviteAction,
} from '@/app/(dashboard)/vehicles/[vehicleId]/leaderboard/actions';
import { ShownOnceLink } from '@/components/sharing/shown-once-link';
import { Button } from '@/components/ui/button';

// The two forms that hand out an invite link, shown once (Kinetic keeps only its hash).

type LinkLabels = { link: string; copy: string; copied: string };

const inviteUrl = (token: string) => `${window.location.origin}/join/${token}`;

function Outcome({ state, labels, testId }: { state: InviteState; labels: LinkLabels; testId: string }) {
  return (
    <>
      {state.error ? (
        <p role="alert" className="text-danger text-sm">
          {state.error}
        </p>
      ) : null}
      {state.token ? (
        <ShownOnceLink
          url={inviteUrl(state.token)}
          label={labels.link}
          copy={labels.copy}
          copied={labels.copied}
          testId={testId}
        />
      ) : null}
    </>
  );
}

export function CreateGroupForm({
  vehicleId,
  maxName,
  labels,
}: {
  vehicleId: string;
  maxName: number;
  labels: LinkLabels & { name: string; create: string; creating: string };
}) {
  const [state, action, pending] = useActionState<InviteState, FormData>(createGroupAction, {});
  return (
    <div className="flex flex-col gap-3">
      <form action={action} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="vehicleId" value={vehicleId} />
        <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
          {labels.name}
          <input
            name="name"
            required
            maxLength={maxName}
            autoComplete="off"
            className="min-h-11 rounded-lg border border-border bg-surface px-3 text-fg"
          />
        </label>
        <Button type="submit" disabled={pending}>
          {pending ? labels.creating : labels.create}
        </Button>
      </form>
      <Outcome state={state} labels={labels} testId="new-invite-link" />
    </div>
  );
}

export function RenewInviteForm({
  vehicleId,
  groupId,
  labels,
}: {
  vehicleId: string;
  groupId: string;
  labels: LinkLabels & { renew: string; renewLabel: string };
}) {
  const [state, action, pending] = useActionState<InviteState, FormData>(renewInviteAction, {});
  return (
    <div className="flex flex-col gap-2">
      <form action={action}>
        <input type="hidden" name="vehicleId" value={vehicleId} />
        <input type="hidden" name="groupId" value={groupId} />
        <Button type="submit" variant="secondary" disabled={pending} aria-label={labels.renewLabel}>
          {labels.renew}
        </Button>
      </form>
      <Outcome state={state} labels={labels} testId="renewed-invite-link" />
    </div>
  );
}
