/* firstvisit.js - for a first visit: a guided tour of the dashboard (skippable, remembered in this
 * browser), a glossary reachable from every term it explains (the terms in the page's explanations
 * become buttons that open their entry), and a one-page printable "how to read this map" card.
 * Every text is a template of web/messages.json in the page's language. */
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const TOUR_KEY = 'solidata.tour';
  /* the tour: each step points at a part of the page */
  const STEPS = [
    { key: 'map', target: 'map' },
    { key: 'picker', target: 'field-indicator' },
    { key: 'legend', target: 'legend' },
    { key: 'profile', target: 'map-help' },
    { key: 'sources', target: 'tab-catalog' },
  ];
  /* the glossary's entries, in the order they are listed */
  const TERMS = ['hotspot', 'interval', 'rank', 'quantile', 'pvalue', 'index', 'weight', 'polarity',
    'forecast', 'draft', 'withheld'];
  /* where explanations are, whose terms become glossary buttons */
  const EXPLAINED = '#map-explain, #profile-explain, #profile-sections .explain, details.means p, #alerts-explain, #runs-explain, #ws-view-explain';
  let step = 0;

  const A = () => window.SOL_APP;
  const t = (k, p) => A().t(k, p);

  /* ---- the tour ------------------------------------------------------------------------------ */

  function tourSeen() {
    try { return localStorage.getItem(TOUR_KEY) === 'done'; } catch (e) { return true; }
  }

  function showStep() {
    const s = STEPS[step];
    document.querySelectorAll('.tour-target').forEach((e) => e.classList.remove('tour-target'));
    const target = $(s.target);
    if (target) {
      target.classList.add('tour-target');
      target.scrollIntoView({ block: 'nearest' });
    }
    $('tour').dataset.step = s.key;
    $('tour-title').textContent = t('tour.' + s.key + '.title');
    $('tour-text').textContent = t('tour.' + s.key + '.text');
    $('tour-count').textContent = t('tourCount', { i: step + 1, n: STEPS.length });
    $('tour-back').disabled = step === 0;
    $('tour-next').textContent = t(step === STEPS.length - 1 ? 'tourDone' : 'tourNext');
  }

  function startTour() {
    step = 0;
    $('tour').hidden = false;
    showStep();
    $('tour-title').focus();
  }

  function endTour() {
    $('tour').hidden = true;
    document.querySelectorAll('.tour-target').forEach((e) => e.classList.remove('tour-target'));
    try { localStorage.setItem(TOUR_KEY, 'done'); } catch (e) { /* private mode: shown again */ }
    $('tour-start').focus();
  }

  /* ---- the glossary -------------------------------------------------------------------------- */

  function fillGlossary() {
    const dl = $('glossary-list');
    dl.textContent = '';
    TERMS.forEach((k) => {
      const dt = A().el('dt', { id: 'gl-' + k, tabindex: '-1' }, t('gl.' + k + '.title'));
      dl.appendChild(dt);
      dl.appendChild(A().el('dd', null, t('gl.' + k + '.text')));
    });
  }

  function openGlossary(term) {
    fillGlossary();
    const d = $('glossary');
    if (!d.open) d.showModal();
    const e = term && $('gl-' + term);
    document.querySelectorAll('#glossary-list dt.current').forEach((x) => x.classList.remove('current'));
    if (e) {
      e.classList.add('current');
      e.scrollIntoView({ block: 'nearest' });
      e.focus();
    } else {
      $('glossary-close').focus();
    }
  }

  /* the words of each entry in the page's language ("hot spot|hot spots"), longest first */
  function termWords() {
    const out = [];
    TERMS.forEach((k) => t('gl.' + k + '.terms').split('|').map((w) => w.trim()).filter(Boolean)
      .forEach((w) => out.push({ k, w })));
    return out.sort((a, b) => b.w.length - a.w.length);
  }

  function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }

  let linking = false;
  /* Turn the first mention of each glossary term in an explanation into a button opening its
   * entry (the text stays the same; only the words become a button). */
  function linkTerms(root) {
    const words = termWords();
    if (!words.length) return;
    const re = new RegExp('(^|[^\\p{L}])(' + words.map((x) => escapeRe(x.w)).join('|') + ')(?![\\p{L}])', 'iu');
    const byWord = {};
    words.forEach((x) => { byWord[x.w.toLowerCase()] = x.k; });
    linking = true;
    (root ? [root] : document.querySelectorAll(EXPLAINED)).forEach((box) => {
      if (!box || box.closest('#glossary, #tour, #howto')) return;
      const done = new Set([...box.querySelectorAll('button.term')].map((b) => b.dataset.term));
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      const nodes = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.parentElement.closest('button, a, summary')) nodes.push(n);
      }
      nodes.forEach((n) => {
        let node = n;
        for (let guard = 0; guard < 6 && node; guard++) {
          const m = re.exec(node.nodeValue);
          if (!m) break;
          const k = byWord[m[2].toLowerCase()];
          const at = m.index + m[1].length;
          if (done.has(k)) {
            /* already linked in this box: look further on */
            const rest = node.splitText(at + m[2].length);
            node = rest;
            continue;
          }
          done.add(k);
          const after = node.splitText(at);
          const rest = after.splitText(m[2].length);
          const b = document.createElement('button');
          b.type = 'button';
          b.className = 'term';
          b.dataset.term = k;
          b.textContent = after.nodeValue;
          b.setAttribute('aria-haspopup', 'dialog');
          b.title = t('glossaryOpenTerm', { term: t('gl.' + k + '.title') });
          after.replaceWith(b);
          node = rest;
        }
      });
    });
    linking = false;
  }

  /* ---- the printable card -------------------------------------------------------------------- */

  const HOWTO = ['colours', 'legend', 'grey', 'withheld', 'interval', 'rank', 'hotspot', 'sources'];

  function fillHowto() {
    const ol = $('howto-list');
    ol.textContent = '';
    HOWTO.forEach((k) => {
      const li = A().el('li');
      li.appendChild(A().el('strong', null, t('howto.' + k + '.title')));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(A().el('span', null, t('howto.' + k + '.text')));
      ol.appendChild(li);
    });
  }

  function openHowto() {
    fillHowto();
    $('howto').hidden = false;
    document.body.classList.add('howto-open');
    $('howto-title').setAttribute('tabindex', '-1');
    $('howto-title').focus();
  }

  function closeHowto() {
    $('howto').hidden = true;
    document.body.classList.remove('howto-open');
    $('howto-open').focus();
  }

  /* ---- wiring -------------------------------------------------------------------------------- */

  function relabel() {
    if (!$('tour').hidden) showStep();
    if ($('glossary').open) fillGlossary();
    if (!$('howto').hidden) fillHowto();
    linkTerms();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('tour-start').addEventListener('click', startTour);
    $('tour-skip').addEventListener('click', endTour);
    $('tour-back').addEventListener('click', () => { if (step > 0) { step--; showStep(); } });
    $('tour-next').addEventListener('click', () => {
      if (step < STEPS.length - 1) { step++; showStep(); } else endTour();
    });
    $('tour').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); endTour(); } });
    $('glossary-open').addEventListener('click', () => openGlossary(null));
    $('glossary-close').addEventListener('click', () => $('glossary').close());
    $('howto-open').addEventListener('click', openHowto);
    $('howto-close').addEventListener('click', closeHowto);
    $('howto-print').addEventListener('click', () => window.print());
    document.addEventListener('click', (e) => {
      const b = e.target.closest && e.target.closest('button.term');
      if (b) openGlossary(b.dataset.term);
    });
    /* explanations are rewritten as the view changes: their terms are linked again */
    let pending = false;
    new MutationObserver(() => {
      if (linking || pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; linkTerms(); });
    }).observe($('main'), { childList: true, subtree: true, characterData: true });
  });
  document.addEventListener('sol:ready', () => {
    linkTerms();
    if (!tourSeen()) startTour();
  });
  document.addEventListener('sol:relabel', relabel);
  window.SOL_FIRSTVISIT = { startTour, openGlossary, openHowto, linkTerms };
})();
