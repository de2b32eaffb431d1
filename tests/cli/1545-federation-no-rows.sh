# federation: the observatory's role reads no row of an agency. Through psql as that role: the
# table, COPY, the views behind the functions are refused; the functions called with crafted
# parameters (a threshold with one row below or above it, a poverty line that makes one person
# poor in a cell, a quintile or kernel over one row, a domain of one row) answer NULL or nothing.
. "$TOP/tests/cli/pgmicro_lib.sh"
fed_agency a "db040 IN ('Tyrol', 'Vorarlberg')"
pg_sql a "INSERT INTO eusilc (db040, rb050, \"eqIncome\") VALUES ('Tiny', 1, 123456.5),
    ('Tyrol', 1, -1000), ('Tyrol', 1, 999999)"
OBS=${FED_URL_a%%\?*}
refused() { # SQL...: refused for lack of privilege
    if psql -X -At "$OBS" -c "$1" >"$T/psql" 2>&1; then fail "allowed: $1 -> $(head -c 300 "$T/psql")"; fi
    grep -q 'permission denied' "$T/psql" || fail "not a refusal: $1 -> $(cat "$T/psql")"
}
q() { (cd /tmp && "$TOP/scripts/pg-cluster" psql "$PG_DIR_a" -d solidata -At -c "$1"); }
answer() { psql -X -At -F '|' "$OBS" -c "$1" 2>&1; }
refused "SELECT * FROM eusilc"
refused "COPY eusilc TO STDOUT"
refused "SELECT count(*) FROM eusilc WHERE db040 = 'Tiny'"
refused "SELECT * FROM solidata_fed._rows"
refused "SELECT * FROM solidata_fed._ok"
refused "CREATE FUNCTION solidata_fed.leak() RETURNS SETOF float8 LANGUAGE sql AS 'SELECT 1::float8'"
refused "CREATE VIEW public.leak AS SELECT 1"
# the test knows two incomes of Tyrol, the lowest (-1000) and the highest (999999): thresholds
# with exactly one row below or above them
lo2=-999
hi1=999999
# one row below a threshold, one row at or above it, and a threshold in the middle (answered)
out=$(answer "SELECT coalesce(n::text, 'null'), coalesce(sw::text, 'null') FROM solidata_fed.cdf(
    '{Tyrol,Tyrol,Tyrol}', '{0,1,2,3}', '{$lo2,$hi1,15000}', NULL) ORDER BY i")
[ "$(sed -n 1p <<<"$out")" = "null|null" ] || fail "one row below answered: $out"
[ "$(sed -n 2p <<<"$out")" = "null|null" ] || fail "one row above answered: $out"
sed -n 3p <<<"$out" | grep -qE '^[0-9]{2,}\|[0-9.]+$' || fail "the middle was not answered: $out"
# a line with one poor person: the cell is withheld
out=$(answer "SELECT d, coalesce(n::text, 'null'), coalesce(f2::text, 'null')
    FROM solidata_fed.cells($lo2, 15000, true, false) WHERE d = 'Tyrol'")
[ "$out" = "Tyrol|null|null" ] || fail "a cell with one poor person answered: $out"
# a bottom quintile of one row; a kernel of bandwidth 1e-9 on one income
out=$(answer "SELECT coalesce(bottom::text, 'null'), coalesce(kd_t::text, 'null')
    FROM solidata_fed.dsums('{Tyrol}', '{$lo2}', '{$hi1}', '{1e-9}', $hi1, 1, 2, 1, 1)
    WHERE d = 'Tyrol'")
[ "$out" = "null|null" ] || fail "a sum over one row answered: $out"
# the domain of one row is withheld: named, in no aggregate, its rows nowhere
[ "$(answer "SELECT d FROM solidata_fed.withheld()")" = "Tiny" ] || fail "Tiny not withheld"
[ -z "$(answer "SELECT d FROM solidata_fed.domains() WHERE d = 'Tiny'")" ] ||
    fail "Tiny in domains()"
out=$(answer "SELECT n, sw FROM solidata_fed.cdf('{Tiny}', '{0,1}', '{200000}', NULL)")
[ "$out" = "0|0" ] || fail "Tiny's rows reached cdf: $out"
# the range of a domain is a power of two above its highest income, not that income
[ "$(answer "SELECT max(hi) FROM solidata_fed.domains()")" = 2097152 ] || fail "the range leaked"
[ -z "$(answer "SELECT d FROM solidata_fed.gini() WHERE d = 'Tiny'")" ] || fail "Tiny in gini()"
# every call is in the agency's log, which the role may not read
refused "SELECT * FROM solidata_fed.calls"
refused "DELETE FROM solidata_fed.calls"
n=$(q "SELECT count(*) FROM solidata_fed.calls WHERE who = 'observatory' AND fn = 'cdf'")
[ "$n" = 2 ] || fail "the calls to cdf were not logged ($n)"
