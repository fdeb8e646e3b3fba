import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { EN, type MessageKey } from './en.js';
import { ZH } from './zh.js';

export type Lang = 'en' | 'zh';
export type { MessageKey };

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en: EN, zh: ZH };
const STORAGE_KEY = 'pujiang.lang';

/** The language a visitor chose before, else the browser's (Chinese for any zh locale). */
export function initialLang(): Lang {
  const saved = safeStorage()?.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function saveLang(lang: Lang): void {
  safeStorage()?.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** A message in a language, with `{name}` placeholders filled. */
export function translate(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = DICTIONARIES[lang][key] ?? EN[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

export interface I18n {
  readonly lang: Lang;
  readonly t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  readonly setLang: (lang: Lang) => void;
}

export const I18nContext = createContext<I18n>({
  lang: 'en',
  t: (key, vars) => translate('en', key, vars),
  setLang: () => {},
});

export const useI18n = (): I18n => useContext(I18nContext);

/** localStorage, or nothing where a page may not use it (a sandboxed frame). */
export function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
