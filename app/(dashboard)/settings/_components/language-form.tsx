'use client';

import { useTranslations } from 'next-intl';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { type AppLocale, isAppLocale, LOCALES } from '@/lib/i18n/locales';
import { SaveStatus } from './save-status';
import { SelectField } from './select-field';
import { useAccountSave } from './use-account-save';

/** `current`: the language this page is shown in (the owner's choice, else the browser's). */
export function LanguageForm({ current }: { current: AppLocale }) {
  const t = useTranslations('settings.language');
  const [value, setValue] = useState<AppLocale>(current);
  const save = useAccountSave();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({ locale: value });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <SelectField
        id="language"
        name="locale"
        label={t('label')}
        value={value}
        onChange={(event) => {
          if (isAppLocale(event.target.value)) setValue(event.target.value);
        }}
        // Each language named in itself, so anyone can find their own.
        options={LOCALES.map((locale) => ({ value: locale, label: t(`options.${locale}`) }))}
        className="sm:max-w-xs"
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          {t('save')}
        </Button>
        <SaveStatus id="language-status" state={save.status} error={save.error} />
      </div>
    </form>
  );
}
