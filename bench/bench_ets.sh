#!/bin/bash
# bench_ets.sh SOLIDATA - ETS forecasts with automatic model choice on N monthly series of
# length 120 (N defaults to 10,000; BENCH_ETS_SERIES), generated deterministically by R. Times
# `solidata forecast` on the whole batch on 2 threads, then R's forecast::ets + forecast on a
# sample (BENCH_ETS_R_SAMPLE, default 200 series) and ours on the same sample on 1 thread, in
# the same run; prints the ratios and how many sample series got the same model as R.
set -euo pipefail
S=$1
N=${BENCH_ETS_SERIES:-10000}
K=${BENCH_ETS_R_SAMPLE:-200}
W=${BENCH_DIR:-$(mktemp -d /var/tmp/solidata-bench.XXXXXX)}
trap 'rm -rf "$W"' EXIT
command -v Rscript >/dev/null || { echo "Rscript not found: install r-base-core and r-cran-forecast"; exit 1; }
echo "generating $N monthly series of length 120 in $W ..." >&2
Rscript - "$N" "$W/series.csv" <<'R'
a <- commandArgs(TRUE); N <- as.integer(a[1]); n <- 120
set.seed(20261128)
per <- sprintf("%d-%02d", 2011 + (0:(n - 1)) %/% 12, (0:(n - 1)) %% 12 + 1)
con <- file(a[2], "w"); writeLines("id,period,value", con)
for (i in 1:N) {
    lvl <- runif(1, 50, 500); tr <- rnorm(1, 0, 0.004); amp <- runif(1, 0, 0.3)
    ph <- runif(1, 0, 2 * pi); sd <- runif(1, 0.02, 0.12); t <- 1:n
    y <- lvl * exp(tr * t) * (1 + amp * sin(2 * pi * t / 12 + ph)) *
        exp(cumsum(rnorm(n, 0, sd / 3)) + rnorm(n, 0, sd))
    writeLines(sprintf("S%05d,%s,%.8g", i, per, y), con)
}
close(con)
R
head -n $((K * 120 + 1)) "$W/series.csv" >"$W/sample.csv"
secs() { echo "$2 - $1" | bc; }

t0=$(date +%s.%N)
OMP_NUM_THREADS=2 "$S" --quiet forecast --data "$W/series.csv" --id-field id --period-field period \
    --value-field value --frequency 12 --horizon 12 --out "$W/ours.csv"
t1=$(date +%s.%N)
ours_all=$(secs "$t0" "$t1")
[ "$(wc -l <"$W/ours.csv")" = $((N * 12 + 1)) ] || { echo "row count differs"; exit 1; }

t0=$(date +%s.%N)
OMP_NUM_THREADS=1 "$S" --quiet forecast --data "$W/sample.csv" --id-field id --period-field period \
    --value-field value --frequency 12 --horizon 12 --json --out "$W/ours_sample.json"
t1=$(date +%s.%N)
ours_k=$(secs "$t0" "$t1")

Rscript - "$W/sample.csv" "$W/r_sample.csv" <<'R' >"$W/r_time"
suppressPackageStartupMessages(library(forecast))
a <- commandArgs(TRUE)
d <- read.csv(a[1], stringsAsFactors = FALSE)
ys <- split(d$value, d$id)
t0 <- proc.time()[["elapsed"]]
res <- lapply(names(ys), function(id) {
    fit <- ets(ts(ys[[id]], frequency = 12, start = c(2011, 1)))
    fc <- forecast(fit, h = 12)
    data.frame(id = id, model = fit$method, aicc = sprintf("%.17g", fit$aicc))
})
cat(proc.time()[["elapsed"]] - t0, "\n")
write.csv(do.call(rbind, res), a[2], row.names = FALSE)
R
r_k=$(cat "$W/r_time")

python3 - "$W/ours_sample.json" "$W/r_sample.csv" <<'PY'
import csv, json, sys
ours = {s["id"]: s for s in json.load(open(sys.argv[1]))["series"]}
same = close = 0; rows = list(csv.DictReader(open(sys.argv[2]))); worst = (0.0, "")
for r in rows:
    o = ours.get(r["id"])
    if o and o["model"] == r["model"]:
        same += 1
        d = abs(o["aicc"] - float(r["aicc"])) / abs(float(r["aicc"]))
        close += d <= 1e-6
        worst = max(worst, (d, f'{r["id"]} {r["model"]}: ours {o["aicc"]!r}, R {r["aicc"]}'))
    else:
        print(f'  model differs: {r["id"]}: ours {o and o["model"]}, R {r["model"]}')
print(f"  same model as R: {same} of {len(rows)} sample series; AICc within 1e-6 relative: {close}")
print(f"  largest AICc difference: {worst[0]:.2g} relative ({worst[1]})")
PY
awk -v n="$N" -v k="$K" -v oa="$ours_all" -v ok="$ours_k" -v rk="$r_k" 'BEGIN {
    printf "  solidata forecast, %d series, 2 threads:     %8.2f s (%.2f ms/series)\n", n, oa, 1000 * oa / n
    printf "  solidata forecast, %d sample series, 1 thread: %6.2f s (%.2f ms/series)\n", k, ok, 1000 * ok / k
    printf "  R forecast::ets, same %d series, 1 process:  %7.2f s (%.1f ms/series)\n", k, rk, 1000 * rk / k
    printf "  per core (same sample, 1 thread each):       %6.1fx faster than R\n", rk / ok
    printf "  batch: R scaled to %d series %.0f s, ours on 2 threads %.1f s: %.1fx\n", n, rk * n / k, oa, rk * n / k / oa
}'
