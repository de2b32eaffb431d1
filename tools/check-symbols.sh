#!/bin/sh
# check-symbols.sh LIB.so - the shared library exports only sol_* functions.
bad=$(nm -D --defined-only "$1" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^sol_' | grep -v '^_')
if [ -n "$bad" ]; then
    echo "check-symbols: exported symbols outside the sol_ namespace:"; echo "$bad"; exit 1
fi
echo "check-symbols: $(nm -D --defined-only "$1" | grep -c ' T sol_') sol_ functions exported, nothing else"
