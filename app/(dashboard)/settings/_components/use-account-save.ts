'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { sendJson } from '@/lib/api-client/fetch-json';
import type { AccountDto, AccountUpdate } from '@/lib/schemas/account';

/**
 * Saves account changes with PATCH /api/account, then re-renders the server parts (a new language
 * or zone comes back as a cookie the next render reads) without a full reload.
 */
export function useAccountSave() {
  const router = useRouter();
  return useMutation({
    mutationFn: (changes: AccountUpdate) =>
      sendJson<{ account: AccountDto }>('/api/account', 'PATCH', changes),
    onSuccess: () => router.refresh(),
  });
}
