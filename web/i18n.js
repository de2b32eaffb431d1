/* i18n.js - the dashboard's words: templates with {named} slots filled from the data, so no text
 * is invented at run time. The English templates are web/messages.json; the server gives each
 * language's dictionary at /i18n/LANG.json, built from the project's message catalogue (po/LANG.po,
 * msgctxt "web:KEY"). Names of indicators and sources are shown as their publisher wrote them. */
'use strict';

window.SOL_I18N = (function () {
  const languages = ['it', 'fr', 'en'];
  const dict = {}; /* language -> { key: template }, once loaded */

  async function fetchDict(lang) {
    const r = await fetch('/i18n/' + lang + '.json', { credentials: 'same-origin' });
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  }

  /* Load the dictionary of `lang`, and English as the fallback of any missing text. A language
   * whose dictionary cannot be fetched falls back to English as a whole. */
  async function load(lang) {
    if (!dict.en) {
      try { dict.en = await fetchDict('en'); } catch (e) { dict.en = {}; }
    }
    if (lang !== 'en' && !dict[lang]) {
      try { dict[lang] = await fetchDict(lang); } catch (e) { return false; }
    }
    return true;
  }

  /* The plural category of a count: French treats 0 and 1 (up to 2 excluded) as singular,
   * Italian and English only 1. */
  function isOne(lang, n) {
    return lang === 'fr' ? n >= 0 && n < 2 : n === 1;
  }

  /* Slots that hold identifiers or periods, shown as they are (a year 2019 is not "2 019"). */
  const RAW = new Set(['id', 'period', 'from', 'to', 'since', 'at', 'model', 'name', 'code']);

  function number(lang, x, opts) {
    return new Intl.NumberFormat(lang, opts || { maximumFractionDigits: 3 }).format(x);
  }

  /* The text of `key` in `lang` with its {slots} filled. With a count params.n: KEY.none when n is
   * 0 and that text exists, else KEY.one when the language's rule says singular and that text
   * exists. Numbers in slots are written as the language writes them. English, then `fallback`,
   * then the key itself when a text is missing (the tests check that none is). */
  function t(lang, key, params, fallback) {
    const d = dict[lang] || {}, en = dict.en || {};
    const has = (k) => d[k] !== undefined || en[k] !== undefined;
    if (params && typeof params.n === 'number') {
      if (params.n === 0 && has(key + '.none')) key += '.none';
      else if (isOne(lang, params.n) && has(key + '.one')) key += '.one';
    }
    let s = d[key] !== undefined ? d[key] : en[key];
    if (s === undefined) return fallback !== undefined ? fallback : key;
    if (params) {
      s = s.replace(/\{(\w+)\}/g, (m, k) => {
        const v = params[k];
        if (v === undefined || v === null) return m;
        return typeof v === 'number' && !RAW.has(k) ? number(lang, v) : String(v);
      });
    }
    return s;
  }

  return { t, load, isOne, number, dict, languages };
})();
