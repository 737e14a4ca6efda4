'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { type CarActionState, disconnectAction } from '../actions';

export function DisconnectForm({ accountId, brandLabel }: { accountId: string; brandLabel: string }) {
  const [state, action, pending] = useActionState<CarActionState, FormData>(disconnectAction, {});
  return (
    <form action={action} className="flex flex-col gap-3">
      <input type="hidden" name="accountId" value={accountId} />
      <label className="flex min-h-11 items-center gap-3 text-sm">
        <input type="checkbox" name="deleteData" className="size-5" />
        Also delete everything Kinetic stored for these cars
      </label>
      {state.error ? (
        <p role="alert" className="text-danger text-sm">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" variant="danger" disabled={pending} className="self-start">
        {pending ? 'Disconnecting…' : `Disconnect ${brandLabel}`}
      </Button>
    </form>
  );
}
