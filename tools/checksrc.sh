#!/bin/sh
# checksrc.sh - bans unsafe C functions in our sources (curl's checksrc idea), and requires each
# .c file to open with a purpose comment, and runs cppcheck (warnings and portability) over the
# library and the command.
cd "$(dirname "$0")/.." || exit 2
rc=0
if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|strtok|gets)\s*\(' \
    src/*/*.c cli/*.c 2>/dev/null; then
    echo "checksrc: banned function above (use snprintf, sol_buf, strtol, strtok_r)"; rc=1
fi
for f in src/*/*.c cli/*.c; do
    head -n 1 "$f" | grep -q '^/\*' || { echo "checksrc: $f does not open with a purpose comment"; rc=1; }
done
# cppcheck cannot see that w.X in src/sae/fh.c is a heap array, not a struct member (objectIndex)
if ! cppcheck --quiet --std=c11 --enable=warning,portability --error-exitcode=1 \
    --suppress=objectIndex:src/sae/fh.c -Iinclude -Isrc src cli; then
    echo "checksrc: cppcheck found the problems above"; rc=1
fi
[ $rc = 0 ] && echo "checksrc: clean"
exit $rc
