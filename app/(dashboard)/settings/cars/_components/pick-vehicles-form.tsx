'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { type CarActionState, linkVehiclesAction } from '../actions';

export type PickableVehicle = { id: string; label: string; vin: string; linked: boolean };

/** The form's words, translated by the server page. */
export type PickVehiclesLabels = { legend: string; alreadyLinked: string; submit: string; pending: string };

export function PickVehiclesForm({
  accountId,
  vehicles,
  labels,
}: {
  accountId: string;
  vehicles: PickableVehicle[];
  labels: PickVehiclesLabels;
}) {
  const [state, action, pending] = useActionState<CarActionState, FormData>(linkVehiclesAction, {});
  return (
    <form action={action} className="flex flex-col gap-4">
      <input type="hidden" name="accountId" value={accountId} />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 font-medium text-sm">{labels.legend}</legend>
        {vehicles.map((vehicle) => (
          <label key={vehicle.id} className="flex min-h-11 items-center gap-3 text-sm">
            <input type="checkbox" name="vehicle" value={vehicle.id} defaultChecked className="size-5" />
            <span>
              {vehicle.label} <span className="text-muted">({vehicle.vin})</span>
              {vehicle.linked ? <span className="ml-2 text-ok">{labels.alreadyLinked}</span> : null}
            </span>
          </label>
        ))}
      </fieldset>
      {state.error ? (
        <p role="alert" className="text-danger text-sm">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" disabled={pending} className="self-start">
        {pending ? labels.pending : labels.submit}
      </Button>
    </form>
  );
}
