# The catalogue check of make check (tools/check-i18n.sh) fails on a translation whose printf
# placeholders differ from the original, on a dashboard template whose {slots} differ, on a
# message left untranslated, and on a plural rule other than the one the library applies; it
# passes on the project's own catalogues.
mkdir -p "$T/b/results" "$T/po"
"$TOP/tools/check-i18n.sh" "$T/b" >"$T/out" 2>&1 || fail "the project's catalogues: $(cat "$T/out")"
# a printf placeholder changed: %s for %zu
python3 - "$TOP/po/fr.po" "$T/po/fr.po" <<'PY'
import re, sys
src, dst = sys.argv[1], sys.argv[2]
text = open(src, encoding='utf-8').read()
# the first translated c-format entry holding %zu: its translation's %zu becomes %s
m = re.search(r'#, c-format\nmsgid "([^"\n]*%zu[^"\n]*)"\nmsgstr "([^"\n]*)"', text)
assert m, "no %zu message"
bad = m.group(2).replace('%zu', '%s', 1)
text = text[:m.start(2)] + bad + text[m.end(2):]
open(dst, 'w', encoding='utf-8').write(text)
PY
set +e
I18N_PO_DIR=$T/po "$TOP/tools/check-i18n.sh" "$T/b" >"$T/out" 2>&1
rc=$?
set -e
expect_exit 1
expect_out "fr.po.*(format specifications|placeholders|differ)|incomplete"
# an untranslated message
sed '0,/^msgstr "[^"]/s/^msgstr "[^"].*"$/msgstr ""/' "$TOP/po/it.po" >"$T/po/it.po"
rm "$T/po/fr.po"
set +e
I18N_PO_DIR=$T/po "$TOP/tools/check-i18n.sh" "$T/b" >"$T/out" 2>&1
rc=$?
set -e
expect_exit 1
expect_out "it.po lacks 1 translation"
# a wrong plural rule
sed 's/plural=(n != 1);/plural=(n > 1);/' "$TOP/po/it.po" >"$T/po/it.po"
set +e
I18N_PO_DIR=$T/po "$TOP/tools/check-i18n.sh" "$T/b" >"$T/out" 2>&1
rc=$?
set -e
expect_exit 1
expect_out "Plural-Forms must be"
# a dashboard template whose {slot} was renamed in the translation
python3 - "$TOP/po/fr.po" "$T/po/fr.po" <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'msgctxt "web:[^"]*"\nmsgid "[^"\n]*\{(\w+)\}[^"\n]*"\nmsgstr "([^"\n]*)"', text)
assert m, "no web template with a slot"
bad = m.group(2).replace('{' + m.group(1) + '}', '{' + m.group(1) + 'x}', 1)
open(sys.argv[2], 'w', encoding='utf-8').write(text[:m.start(2)] + bad + text[m.end(2):])
PY
rm -f "$T/po/it.po"
set +e
I18N_PO_DIR=$T/po "$TOP/tools/check-i18n.sh" "$T/b" >"$T/out" 2>&1
rc=$?
set -e
expect_exit 1
expect_out "slots"
