# make-reference.R - inputs and expected values for the trend and change-point tests of
# tests/unit/test_time.c: R packages trend (mk.test, sens.slope, smk.test, sea.sens.slope,
# pettitt.test), modifiedmk (mmkh, Hamed-Rao) and changepoint (cpt.mean/var/meanvar).
# Run from this folder: R_LIBS=/tmp/Rlib Rscript make-reference.R  (writes *.csv, versions.txt)
suppressPackageStartupMessages({ library(trend); library(modifiedmk); library(changepoint) })
fmt <- function(x) sprintf("%.17g", x)
wcsv <- function(df, f) write.csv(df, f, row.names = FALSE, quote = FALSE)

# ---- inputs: annual series (Nile from R datasets; four BES regional series) ------------------
bes <- read.csv("../../../examples/data/bes_regions_long.csv", colClasses = c(reg_code = "character"))
pick <- list(c("01", "04BEC006P"), c("12", "04BEC006P"), c("03", "01SAL001"), c("20", "06POL002P"))
ser <- list(nile = as.numeric(Nile), nile_scaled = as.numeric(Nile) / sd(Nile))
start <- list(nile = 1871, nile_scaled = 1871)
for (p in pick) {
  d <- bes[bes$reg_code == p[1] & bes$indicator_id == p[2], ]
  d <- d[order(d$year), ]
  stopifnot(nrow(d) >= 9, all(diff(d$year) == 1))
  id <- paste0("bes_", p[1], "_", p[2])
  ser[[id]] <- d$value
  start[[id]] <- d$year[1]
}
long <- do.call(rbind, lapply(names(ser), function(id)
  data.frame(id = id, period = start[[id]] + seq_along(ser[[id]]) - 1, value = fmt(ser[[id]]))))
wcsv(long, "annual.csv")
m <- data.frame(id = "ldeaths", period = sprintf("%d-%02d", floor(time(ldeaths) + 1e-9),
                cycle(ldeaths)), value = fmt(as.numeric(ldeaths)))
wcsv(m, "monthly.csv")
q <- data.frame(id = "ukgas", period = sprintf("%d-Q%d", floor(time(UKgas) + 1e-9), cycle(UKgas)),
                value = fmt(as.numeric(UKgas)))
wcsv(q, "quarterly.csv")

# ---- trend -------------------------------------------------------------------------------------
rows <- list()
for (id in names(ser)) {
  x <- as.numeric(read.csv("annual.csv")$value[read.csv("annual.csv")$id == id])
  mk <- mk.test(x); ss <- sens.slope(x); hr <- mmkh(x)
  rows[[id]] <- data.frame(id = id, n = length(x), s = fmt(mk$estimates["S"]),
    var_s = fmt(mk$estimates["varS"]), z = fmt(mk$statistic), p = fmt(mk$p.value),
    tau = fmt(mk$estimates["tau"]), sen_slope = fmt(ss$estimates), sen_lo = fmt(ss$conf.int[1]),
    sen_hi = fmt(ss$conf.int[2]), hr_var_s = fmt(hr["new.variance"]), hr_z = fmt(hr["Corrected Zc"]),
    hr_p = fmt(hr["new P-value"]), hr_ratio = fmt(hr["N/N*"]))
}
wcsv(do.call(rbind, rows), "expected_trend.csv")
srows <- list()
for (nm in c("ldeaths", "ukgas")) {
  f <- if (nm == "ldeaths") "monthly.csv" else "quarterly.csv"
  x <- if (nm == "ldeaths") ldeaths else UKgas
  x <- ts(as.numeric(read.csv(f)$value), start = start(x), frequency = frequency(x))
  sk <- smk.test(x)
  srows[[nm]] <- data.frame(id = nm, s = fmt(sk$estimates["S"]), var_s = fmt(sk$estimates["varS"]),
    z = fmt(sk$statistic), p = fmt(sk$p.value), sen_slope = fmt(sea.sens.slope(x)))
}
wcsv(do.call(rbind, srows), "expected_seasonal.csv")

# ---- change points ----------------------------------------------------------------------------
crows <- list()
for (id in names(ser)) {
  x <- ser[[id]]
  pt <- pettitt.test(x)
  crows[[length(crows) + 1]] <- data.frame(id = id, method = "pettitt", type = "", penalty = "",
    cpts = as.character(pt$estimate[1]), statistic = fmt(pt$statistic), p = fmt(pt$p.value))
  for (meth in c("AMOC", "PELT")) for (ty in c("mean", "var", "meanvar")) for (pen in c("BIC", "MBIC")) {
    if (ty != "mean" && length(x) < 4) next
    f <- switch(ty, mean = cpt.mean, var = cpt.var, meanvar = cpt.meanvar)
    r <- f(x, method = meth, penalty = pen)
    crows[[length(crows) + 1]] <- data.frame(id = id, method = tolower(meth), type = ty,
      penalty = tolower(pen), cpts = paste(cpts(r), collapse = " "), statistic = "", p = "")
  }
}
wcsv(do.call(rbind, crows), "expected_changepoints.csv")
writeLines(c(R.version.string, paste("trend", packageVersion("trend")),
             paste("modifiedmk", packageVersion("modifiedmk")),
             paste("changepoint", packageVersion("changepoint")),
             paste("platform", R.version$platform)), "versions.txt")
