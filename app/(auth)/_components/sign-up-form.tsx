'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { type SignUpState, signUpWithPassword } from '../actions';

/** The words of the form, translated by the server page (the password hint with its lengths). */
export type SignUpFormLabels = {
  name: string;
  email: string;
  password: string;
  passwordHint: string;
  submit: string;
  pending: string;
};

export function SignUpForm({ labels }: { labels: SignUpFormLabels }) {
  const [state, formAction, pending] = useActionState<SignUpState, FormData>(signUpWithPassword, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form
      action={formAction}
      className="flex flex-col gap-4"
      noValidate
      key={JSON.stringify(state.values ?? {})}
    >
      <TextField
        id="name"
        name="name"
        label={labels.name}
        autoComplete="name"
        defaultValue={state.values?.name}
        error={errors.name}
      />
      <TextField
        id="email"
        name="email"
        type="email"
        label={labels.email}
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={state.values?.email}
        error={errors.email}
      />
      <TextField
        id="password"
        name="password"
        type="password"
        label={labels.password}
        autoComplete="new-password"
        required
        hint={labels.passwordHint}
        error={errors.password}
      />
      <p role="alert" aria-live="polite" className="min-h-5 text-danger text-sm">
        {state.error ?? ''}
      </p>
      <Button type="submit" disabled={pending}>
        {pending ? labels.pending : labels.submit}
      </Button>
    </form>
  );
}
