'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { type CarActionState, disconnectAction } from '../actions';

/** The form's words, translated by the server page (`submit` already names the car maker). */
export type DisconnectLabels = { deleteData: string; submit: string; pending: string };

export function DisconnectForm({ accountId, labels }: { accountId: string; labels: DisconnectLabels }) {
  const [state, action, pending] = useActionState<CarActionState, FormData>(disconnectAction, {});
  return (
    <form action={action} className="flex flex-col gap-3">
      <input type="hidden" name="accountId" value={accountId} />
      <label className="flex min-h-11 items-center gap-3 text-sm">
        <input type="checkbox" name="deleteData" className="size-5" />
        {labels.deleteData}
      </label>
      {state.error ? (
        <p role="alert" className="text-danger text-sm">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" variant="danger" disabled={pending} className="self-start">
        {pending ? labels.pending : labels.submit}
      </Button>
    </form>
  );
}
