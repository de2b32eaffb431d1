#!/bin/sh
# check-i18n.sh BUILD - the catalogues against the sources: every message extracted from the code
# and the dashboard (tools/i18n-extract.sh) is translated, not fuzzy, in every po/LANG.po; printf
# formats agree (msgfmt --check); {named} slots of the dashboard's templates agree; each file's
# Plural-Forms is the rule src/core/i18n.c applies. $I18N_PO_DIR checks another folder of .po
# files (tests). Appends "passed failed" to BUILD/results/i18n.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$build/i18n" "$build/results"
pot=$build/i18n/solidata.pot
"$top/tools/i18n-extract.sh" "$pot" || { echo "i18n: extraction failed"; echo "0 1" >"$build/results/i18n"; exit 1; }
pass=0
fail=0
# <inttypes.h> macros make system-dependent messages that src/core/i18n.c does not read
if grep -q '^msgid .*%<PRI' "$pot"; then
    echo "i18n: messages with <inttypes.h> macros (PRId64...) cannot be translated; write %lld with a (long long) cast:"
    grep '^msgid .*%<PRI' "$pot" | head -10 | sed 's/^/  /'
    fail=$((fail + 1))
fi
podir=${I18N_PO_DIR:-$top/po}
for po in "$podir"/*.po; do
    [ -e "$po" ] || continue
    l=$(basename "$po" .po)
    ok=1
    if ! msgfmt --check -o /dev/null "$po" 2>"$build/i18n/$l.msgfmt"; then
        sed 's/^/  /' "$build/i18n/$l.msgfmt" | head -20
        ok=0
    fi
    if ! msgcmp "$po" "$pot" 2>"$build/i18n/$l.msgcmp"; then
        n=$(grep -c 'this message is untranslated\|needs to be reviewed\|used but not defined' \
            "$build/i18n/$l.msgcmp")
        if [ "$n" = 1 ]; then what="1 message"; else what="$n messages"; fi
        echo "i18n: po/$l.po: $what of the code without a translation; 'make po' merges new messages in, then translate:"
        grep 'this message is untranslated\|needs to be reviewed\|used but not defined' \
            "$build/i18n/$l.msgcmp" | head -20 | sed 's/^/  /'
        ok=0
    fi
    case $l in
        fr) rule='nplurals=2; plural=(n > 1);' ;;
        *) rule='nplurals=2; plural=(n != 1);' ;;
    esac
    if ! grep -qF "\"Plural-Forms: $rule\\n\"" "$po"; then
        echo "i18n: po/$l.po: Plural-Forms must be '$rule' (the rule src/core/i18n.c applies)"
        ok=0
    fi
    # {slot} names of the dashboard's templates: the same set on both sides
    # (one pass over the file: a process per message took minutes)
    bad=$(python3 - "$po" <<'PY' 2>&1
import re, sys
path = sys.argv[1]
def slots(t):
    return " ".join(sorted(set(re.findall(r"\{[A-Za-z0-9_]*\}", t))))
entry, field, start = {}, None, 0
def check():
    if entry.get("msgctxt", "").startswith("web:") and entry.get("msgid") and entry.get("msgstr"):
        a, b = slots(entry["msgid"]), slots(entry["msgstr"])
        if a != b:
            print("  %s:%d: %s has %s, the translation %s" % (path, start, entry["msgid"], a, b))
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    line = line.rstrip("\n")
    m = re.match(r'(msgctxt|msgid|msgstr)(\[0\])? "(.*)"$', line)
    if m:
        if m.group(1) == "msgctxt" or (m.group(1) == "msgid" and "msgctxt" not in entry and entry):
            check()
            entry, start = {}, n
        if not entry:
            start = n
        field = m.group(1)
        entry[field] = m.group(3)
    elif line.startswith('"') and field:
        entry[field] += line[1:-1]
    elif not line.strip():
        check()
        entry, field = {}, None
check()
PY
)
    if [ -n "$bad" ]; then
        echo "i18n: po/$l.po: {slots} differ from the original:"
        printf '%s\n' "$bad" | head -20
        ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "i18n: $(grep -c '^msgid "..*"' "$pot") messages; $pass catalogue(s) complete, $fail incomplete"
echo "$pass $fail" >"$build/results/i18n"
[ $fail = 0 ]
