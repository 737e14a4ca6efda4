'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { type SignUpState, signUpWithPassword } from '../actions';

export function SignUpForm({ minLength, maxLength }: { minLength: number; maxLength: number }) {
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
        label="Name (optional)"
        autoComplete="name"
        defaultValue={state.values?.name}
        error={errors.name}
      />
      <TextField
        id="email"
        name="email"
        type="email"
        label="E-mail"
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
        label="Password"
        autoComplete="new-password"
        required
        hint={`${minLength} to ${maxLength} characters. A few unrelated words make a strong one.`}
        error={errors.password}
      />
      <p role="alert" aria-live="polite" className="min-h-5 text-danger text-sm">
        {state.error ?? ''}
      </p>
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating your account…' : 'Create account'}
      </Button>
    </form>
  );
}
