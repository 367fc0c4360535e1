/**
 * UI state: the theme (persisted), the active view, and the notices read out by
 * the aria-live region (errors stay until dismissed, the rest fade after a while).
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';

export const VIEWS = ['designer', 'data', 'train', 'compare', 'labs', 'report'] as const;
export type ViewId = (typeof VIEWS)[number];

export type Theme = 'light' | 'dark';
export type NoticeKind = 'info' | 'success' | 'error';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
}

const THEME_KEY = 'vglab.theme';
/** How long an info or success notice stays (ms); errors stay until dismissed. */
export const NOTICE_MS = 6000;
/** Older notices are dropped beyond this many, so a storm of errors cannot fill the screen. */
const MAX_NOTICES = 5;

function storedTheme(): Theme | null {
  try {
    const t = globalThis.localStorage?.getItem(THEME_KEY);
    return t === 'light' || t === 'dark' ? t : null;
  } catch {
    return null;
  }
}

function systemTheme(): Theme {
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const useUiStore = defineStore('ui', () => {
  const theme = ref<Theme>(storedTheme() ?? systemTheme());
  const view = ref<ViewId>('designer');
  const notices = ref<Notice[]>([]);
  let nextId = 1;

  watch(theme, (t) => {
    try {
      globalThis.localStorage?.setItem(THEME_KEY, t);
    } catch {
      // Private mode without storage: the choice lasts for this session.
    }
  });

  const errors = computed(() => notices.value.filter((n) => n.kind === 'error'));

  function toggleTheme(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  }

  function notify(text: string, kind: NoticeKind = 'info'): number {
    const id = nextId++;
    notices.value = [...notices.value, { id, kind, text }].slice(-MAX_NOTICES);
    if (kind !== 'error') setTimeout(() => dismiss(id), NOTICE_MS);
    return id;
  }

  function error(e: unknown): void {
    notify(e instanceof Error ? e.message : String(e), 'error');
  }

  /** Runs `what`; a failure becomes an error notice and null, so a store's action reads as one line. */
  async function attempt<T>(what: () => Promise<T>): Promise<T | null> {
    try {
      return await what();
    } catch (e) {
      error(e);
      return null;
    }
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  return { theme, view, notices, errors, toggleTheme, notify, error, attempt, dismiss };
});
