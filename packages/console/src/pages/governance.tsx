import { useI18n } from '../i18n/index.js';

export function GovernancePage(_props: { rest: readonly string[] }) {
  const { t } = useI18n();
  return <p class="muted">{t('common.none')}</p>;
}
