'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { type ConnectV1State, connectV1CarAction } from '../connect-v1-action';

// Brand names are proper nouns: the same in every language.
const BRANDS = [
  { value: 'peugeot', label: 'Peugeot' },
  { value: 'citroen', label: 'Citroën' },
  { value: 'ds', label: 'DS' },
] as const;

/** The form's words, translated by the server page; the action's answers come translated too. */
export type ConnectV1Labels = {
  brand: string;
  vin: string;
  vinHint: string;
  contract: string;
  contractHint: string;
  submit: string;
  pending: string;
};

/** Link a car by VIN and service contract (PSA Connected Car v1): no maker sign-in needed. */
export function ConnectV1Form({ labels }: { labels: ConnectV1Labels }) {
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
          {labels.brand}
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
        label={labels.vin}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={24}
        required
        hint={labels.vinHint}
        defaultValue={values?.vin}
        error={errors.vin}
      />
      <TextField
        id="v1-contract"
        name="contract"
        label={labels.contract}
        autoComplete="off"
        spellCheck={false}
        maxLength={64}
        required
        hint={labels.contractHint}
        defaultValue={values?.contract}
        error={errors.contract}
      />
      <p role="alert" aria-live="polite" className="min-h-5 text-danger text-sm">
        {state.error ?? ''}
      </p>
      {state.linked ? (
        <p role="status" className="text-sm">
          {state.linked.message}
        </p>
      ) : null}
      <Button type="submit" disabled={pending} className="self-start">
        {pending ? labels.pending : labels.submit}
      </Button>
    </form>
  );
}
