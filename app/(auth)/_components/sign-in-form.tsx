'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { type SignInState, signInWithPassword } from '../actions';

/** The words of the form, translated by the server page: /login ships no message catalogue. */
export type SignInFormLabels = { email: string; password: string; submit: string; pending: string };

export function SignInForm({ callbackUrl, labels }: { callbackUrl: string; labels: SignInFormLabels }) {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInWithPassword, {});
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <TextField
        id="email"
        name="email"
        type="email"
        label={labels.email}
        autoComplete="username"
        inputMode="email"
        required
        defaultValue={state.email}
        key={state.email ?? 'email'}
      />
      <TextField
        id="password"
        name="password"
        type="password"
        label={labels.password}
        autoComplete="current-password"
        required
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
