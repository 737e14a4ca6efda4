'use client';

import { useTranslations } from 'next-intl';
import { type FormEvent, useEffect, useState } from 'react';
import { browserTimeZone, writeTimeZoneCookie } from '@/components/settings/time-zone-cookie';
import { Button } from '@/components/ui/button';
import { SaveStatus } from './save-status';
import { SelectField } from './select-field';
import { useAccountSave } from './use-account-save';

const BROWSER = '';

/** `zones`: the IANA zones the server knows (its list, so server and browser render the same). */
export function TimeZoneForm({ initial, zones }: { initial: string | null; zones: readonly string[] }) {
  const t = useTranslations('settings.timeZone');
  const [value, setValue] = useState(initial ?? BROWSER);
  // Known only in the browser: the option reads "Browser default" until mounted.
  const [detected, setDetected] = useState<string | null>(null);
  useEffect(() => setDetected(browserTimeZone()), []);
  const save = useAccountSave();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const zone = value === BROWSER ? null : value;
    save.mutate(
      { timeZone: zone },
      {
        // Back to the browser's zone: the server cleared its cookie; this browser says which it is
        // before the refresh renders the page again.
        onSuccess: () => {
          if (zone === null && detected) writeTimeZoneCookie(detected);
        },
      },
    );
  }

  const options = [
    { value: BROWSER, label: detected ? t('browserDefault', { zone: detected }) : t('browserUnknown') },
    ...zones.map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') })),
  ];

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <SelectField
        id="time-zone"
        name="timeZone"
        label={t('label')}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        options={options}
        className="sm:max-w-md"
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          {t('save')}
        </Button>
        <SaveStatus id="time-zone-status" state={save.status} error={save.error} />
      </div>
    </form>
  );
}
