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
    l=$(basename "$po" .po)
    ok=1
    if ! msgfmt --check -o /dev/null "$po" 2>"$build/i18n/$l.msgfmt"; then
        sed 's/^/  /' "$build/i18n/$l.msgfmt" | head -20
        ok=0
    fi
    if ! msgcmp "$po" "$pot" 2>"$build/i18n/$l.msgcmp"; then
        n=$(grep -c 'this message' "$build/i18n/$l.msgcmp")
        echo "i18n: po/$l.po lacks $n translation(s) of messages in the code; 'make po' merges them in, then translate:"
        grep -A1 'this message' "$build/i18n/$l.msgcmp" | grep -v '^--' | head -20 | sed 's/^/  /'
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
    bad=$(msggrep --msgctxt -E -e "^web:" "$po" 2>/dev/null | msgexec -i - sh -c '
        [ -z "$MSGEXEC_MSGID" ] && exit 0
        a=$(printf "%s" "$MSGEXEC_MSGID" | grep -o "{[A-Za-z0-9_]*}" | sort -u | tr "\n" " ")
        b=$(cat | grep -o "{[A-Za-z0-9_]*}" | sort -u | tr "\n" " ")
        [ "$a" = "$b" ] || printf "  %s: %s has %s, the translation %s\n" "$MSGEXEC_LOCATION" "$MSGEXEC_MSGID" "$a" "$b"' 2>&1)
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
