# tabulate --microdata-sql: the eusilc records COPYed into PostgreSQL, counted there (only the
# cells leave the database), suppressed after: the same table as from the CSV file, counts
# byte-identical, weighted sums within 1e-12 relative; empty codes (NULL after COPY) as in the file.
. "$TOP/tests/cli/pgmicro_lib.sh"
F="$TOP/tests/data/poverty_eusilc/eusilc.csv"
pg_start a
pg_load a eusilc "$F" "$EUSILC_COLS"
U="$PG_URL_a?table=public.eusilc"
same_table() { # A B: the same rows, labels and flags equal, numbers within 1e-12 relative
    python3 - "$1" "$2" <<'PY' || fail "tables differ: $1 $2"
import csv, sys
a, b = (list(csv.reader(open(p))) for p in sys.argv[1:3])
assert len(a) == len(b), (len(a), len(b))
for x, y in zip(a, b):
    assert x[:2] == y[:2] and x[3:] == y[3:], (x, y)
    if x[2] != y[2]:
        p, q = float(x[2]), float(y[2])
        assert abs(p - q) <= 1e-12 * max(abs(p), abs(q)), (x, y)
PY
}
for t in "--rows db040" "--rows db040 --cols rb090" "--rows pb220a --cols pl030" \
    "--rows db040 --cols pl030 --min-cell 30" "--rows hsize --cols age"; do
    sol tabulate --microdata "$F" $t --out "$T/file.csv"
    expect_exit 0
    sol tabulate --microdata-sql "$U" $t --out "$T/sql.csv"
    expect_exit 0
    cmp "$T/file.csv" "$T/sql.csv" || fail "counts differ ($t): $(diff "$T/file.csv" "$T/sql.csv" | head)"
    expect_err 'tabulate: 14827 records'
done
grep -q suppressed "$T/sql.csv" || fail "no suppression in the last table"
for t in "--rows db040 --cols rb090 --weight rb050" "--rows pl030 --weight rb050 --min-cell 50"; do
    sol tabulate --microdata "$F" $t --out "$T/file.csv"
    sol tabulate --microdata-sql "$U" $t --out "$T/sql.csv"
    expect_exit 0
    same_table "$T/file.csv" "$T/sql.csv"
done
# a public list of categories applies as for a file
printf 'female\nmale\nother\n' >"$T/sex.txt"
sol tabulate --microdata "$F" --rows rb090 --categories-rows "$T/sex.txt" --out "$T/file.csv"
sol tabulate --microdata-sql "$U" --rows rb090 --categories-rows "$T/sex.txt" --out "$T/sql.csv"
expect_exit 0
cmp "$T/file.csv" "$T/sql.csv" || fail "with a public list"
printf 'female\n' >"$T/one.txt"
sol tabulate --microdata-sql "$U" --rows rb090 --categories-rows "$T/one.txt" --out "$T/sql.csv"
expect_exit 1
expect_err "category 'male' of 'rb090' is not in the public list"
