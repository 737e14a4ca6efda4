'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { sendJson } from '@/lib/api-client/fetch-json';

/** Deletes the account after the owner types their e-mail or DELETE; then off to the sign-in page. */
export function DeleteAccountForm() {
  const t = useTranslations('settings.delete');
  const [confirm, setConfirm] = useState('');
  const remove = useMutation({
    mutationFn: () => sendJson<{ deleted: true }>('/api/account', 'DELETE', { confirm }),
    // A full navigation: nothing of the deleted account may stay in this page's memory.
    onSuccess: () => window.location.assign('/login'),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    remove.mutate();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <TextField
        id="delete-confirm"
        name="confirm"
        label={t('confirmLabel')}
        value={confirm}
        onChange={(event) => setConfirm(event.target.value)}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        required
        error={remove.isError ? remove.error.message : undefined}
        className="sm:max-w-md"
      />
      <div>
        <Button type="submit" variant="danger" disabled={remove.isPending || confirm.trim() === ''}>
          {remove.isPending ? t('deleting') : t('submit')}
        </Button>
      </div>
    </form>
  );
}
