import 'server-only';
import { getTranslations } from 'next-intl/server';
import type { ThemeLabels } from './theme-switcher';

/** The theme switcher's words in the request's language, for its server parents. */
export async function getThemeLabels(): Promise<ThemeLabels> {
  const t = await getTranslations('theme');
  return { legend: t('legend'), light: t('light'), dark: t('dark'), system: t('system') };
}
