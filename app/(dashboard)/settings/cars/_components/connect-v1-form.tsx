'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { type ConnectV1State, connectV1CarAction } from '../connect-v1-action';

const BRANDS = [
  { value: 'peugeot', label: 'Peugeot' },
  { value: 'citroen', label: 'Citroën' },
  { value: 'ds', label: 'DS' },
] as const;

/** Link a car by VIN and service contract (PSA Connected Car v1): no maker sign-in needed. */
export function ConnectV1Form() {
  const [state, formAction, pending] = useActionState<ConnectV1State, FormData>(connectV1CarAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values;
  return (
    <form
      action={formAction}
      className="flex flex-col gap-4"
      noValidate
      // A new answer remounts the fields with what the owner typed (or empty after a success).
      key={JSON.stringify(state)}
    >
      <div className="flex flex-col gap-1.5">
        <label htmlFor="v1-brand" className="font-medium text-fg text-sm">
          Brand
        </label>
        <select
          id="v1-brand"
          name="brand"
          defaultValue={values?.brand || 'peugeot'}
          aria-invalid={errors.brand ? true : undefined}
          aria-describedby={errors.brand ? 'v1-brand-error' : undefined}
          className="min-h-11 rounded-lg border border-border bg-surface px-3 py-2 text-base text-fg"
        >
          {BRANDS.map((brand) => (
            <option key={brand.value} value={brand.value}>
              {brand.label}
            </option>
          ))}
        </select>
        {errors.brand ? (
          <p id="v1-brand-error" className="text-danger text-sm">
            {errors.brand}
          </p>
        ) : null}
      </div>
      <TextField
        id="v1-vin"
        name="vin"
        label="VIN"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={24}
        required
        hint="17 characters, on the registration document and at the bottom of the windscreen."
        defaultValue={values?.vin}
        error={errors.vin}
      />
      <TextField
        id="v1-contract"
        name="contract"
        label="Contract number"
        autoComplete="off"
        spellCheck={false}
        maxLength={64}
        required
        hint="The number of the car’s connected-services contract."
        defaultValue={values?.contract}
        error={errors.contract}
      />
      <p role="alert" aria-live="polite" className="min-h-5 text-danger text-sm">
        {state.error ?? ''}
      </p>
      {state.linked ? (
        <p role="status" className="text-sm">
          {state.linked.label} is linked. Its first sync starts in a moment.
        </p>
      ) : null}
      <Button type="submit" disabled={pending} className="self-start">
        {pending ? 'Checking the car…' : 'Link this car'}
      </Button>
    </form>
  );
}
