// i18n.js — the one place strings come from. Each language has ONE table
// (i18n/id.js, i18n/en.js); Bahasa Indonesia is the default and the choice
// is kept in localStorage. A value is a string with {name} placeholders or
// a function of the params (for plurals).
//
// Only the active table is fetched: Indonesian is part of the page (it is
// the default and every other language falls back to it), English is
// loaded on first use — before the first render when it is the stored
// choice (top-level await), else when the person switches.
import id from './i18n/id.js';

const TABLES = { id };
const LOADERS = { en: () => import('./i18n/en.js') };
const KEY = 'rembuk:lang';
const listeners = new Set();

let lang = readLang();
if (!(await load(lang))) lang = 'id';

function readLang() {
  try {
    const v = localStorage.getItem(KEY);
    if (v && (TABLES[v] || LOADERS[v])) return v;
  } catch (_) { /* storage may be off */ }
  return 'id';
}

// load fetches a language's table once; false when it cannot be had (an
// offline page whose cache lacks it stays in Indonesian).
async function load(l) {
  if (TABLES[l]) return true;
  if (!LOADERS[l]) return false;
  try {
    TABLES[l] = (await LOADERS[l]()).default;
    return true;
  } catch (_) {
    return false;
  }
}

/** t returns the string for key in the current language. */
export function t(key, params) {
  let s = TABLES[lang][key];
  if (s == null) s = TABLES.id[key];
  if (s == null) return key;
  if (typeof s === 'function') return s(params || {});
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (params[k] != null ? String(params[k]) : m));
}

/** has reports whether key exists in the tables. */
export function has(key) {
  return TABLES.id[key] != null;
}

export function getLang() {
  return lang;
}

/** locale is the BCP 47 tag for Intl formatting. */
export function locale() {
  return lang === 'id' ? 'id-ID' : 'en-GB';
}

/** setLang switches the language once its table is at hand (it may need fetching). */
export async function setLang(l) {
  if (l === lang || !(await load(l)) || l === lang) return;
  lang = l;
  try { localStorage.setItem(KEY, l); } catch (_) { /* ignore */ }
  document.documentElement.lang = l;
  listeners.forEach((fn) => fn(l));
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** errorText maps a server error code to a sentence in the user's language. */
export function errorText(code) {
  const k = 'err.' + (code || 'unknown');
  return has(k) ? t(k) : t('err.unknown');
}

/** fmtNum writes a score with one decimal in the user's language (10,5 / 10.5). */
export function fmtNum(x, fixed = false) {
  const v = Math.round((x || 0) * 10) / 10;
  return v.toLocaleString(locale(), fixed ? { minimumFractionDigits: 1, maximumFractionDigits: 1 } : { maximumFractionDigits: 1 });
}

/** fmtDate writes a YYYY-MM-DD date out in the user's language. */
export function fmtDate(ymd) {
  if (!ymd) return '';
  const [y, m, d] = ymd.split('-').map(Number);
  if (!y || !m || !d) return ymd;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(dt);
}

/** fmtTime writes a time of day (local clock). */
export function fmtTime(iso) {
  if (!iso) return '';
  const dt = new Date(iso);
  if (Number.isNaN(dt.getTime())) return '';
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(dt);
}

document.documentElement.lang = lang;
