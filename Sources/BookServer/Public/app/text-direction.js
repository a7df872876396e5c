// Which way a book's own words run, from its language: the editor, the preview and the
// settings' text fields follow it.

/** Languages written right to left, by their first subtag (when the browser cannot say). */
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** 'rtl' or 'ltr' for a language tag such as `ar`, `fa-IR`, `en`. */
export function direction(language) {
  try {
    const locale = new Intl.Locale(language);
    const info = locale.getTextInfo?.() || locale.textInfo;
    if (info?.direction) return info.direction;
  } catch { /* not a valid tag: the list decides */ }
  return RTL.has(String(language).toLowerCase().split(/[-_]/)[0]) ? 'rtl' : 'ltr';
}
