#!/bin/sh
# po-merge-pending.sh - fold translation fragments po/pending/NAME.LANG.po (work in progress kept
# apart to avoid conflicts) into po/LANG.po, then bring the catalogues up to date with the code
# (make po) and remove the fragments. Translations already in po/LANG.po win.
set -eu
cd "$(dirname "$0")/.."
for po in po/*.po; do
    l=$(basename "$po" .po)
    set -- po/pending/*."$l".po
    [ -e "$1" ] || continue
    msgcat --use-first --no-location --no-wrap -o "$po.new" "$po" "$@"
    mv "$po.new" "$po"
done
make --no-print-directory po >/dev/null
rm -f po/pending/*.po
rmdir po/pending 2>/dev/null || true
