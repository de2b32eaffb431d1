#!/bin/sh
# make-vector.sh - the test vector of tests/unit/test_ledger.c, computed without solidata: the
# canonical bodies are written out by hand, byte for byte as docs/ledger.md defines them, and
# hashed with coreutils' sha256sum. Run: sh make-vector.sh > vector.txt
set -eu
# the declaration: a quote and a newline in the objective are escaped as \" and \n
decl='{"format":"solidata-ledger/1","name":"vector","kind":"fundraising","objective":"Coats \"for\" winter\nand blankets","currency":"EUR","budget_cents":100000,"starts":"2026-12-01","ends":"2027-02-28","created_at":"2026-11-30T09:00:00Z"}'
genesis=$(printf '%s' "$decl" | sha256sum | cut -d' ' -f1)
e1='{"seq":1,"kind":"donation","date":"2026-12-03","amount_cents":5000,"currency":"EUR","channel":"bank","donor":"d-0001"}'
h1=$(printf '%s%s' "$genesis" "$e1" | sha256sum | cut -d' ' -f1)
# UTF-8 is written as is (è = c3 a8), a tab as \t
e2='{"seq":2,"kind":"expenditure","date":"2026-12-05","amount_cents":12000,"currency":"EUR","category":"objective","what":"coperte\tè"}'
h2=$(printf '%s%s' "$h1" "$e2" | sha256sum | cut -d' ' -f1)
e3='{"seq":3,"kind":"donation","date":"2026-12-06","amount_cents":1000,"currency":"USD","rate_ppm":920000,"channel":"online","donor":"anonymous"}'
h3=$(printf '%s%s' "$h2" "$e3" | sha256sum | cut -d' ' -f1)
e4='{"seq":4,"kind":"reversal","date":"2026-12-07","reverses":1,"why":"bank returned it"}'
h4=$(printf '%s%s' "$h3" "$e4" | sha256sum | cut -d' ' -f1)
printf 'genesis %s\nh1 %s\nh2 %s\nh3 %s\nh4 %s\n' "$genesis" "$h1" "$h2" "$h3" "$h4"
