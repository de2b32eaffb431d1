# sdmx_r.R XML CSV REPS - the R side of bench_sdmx.sh: rsdmx::readSDMX + as.data.frame on the
# SDMX-ML message and data.table::fread on the SDMX-CSV (either may be "-": skipped), best of REPS, wall and CPU seconds.
# Prints "rsdmx NOBS WALL CPU" and "fread NOBS WALL CPU".
suppressMessages({ library(rsdmx); library(data.table) })
a <- commandArgs(TRUE)
reps <- as.integer(a[3])
best <- function(f) {
  w <- Inf; c <- Inf; n <- NA
  for (i in seq_len(reps)) {
    t <- system.time(n <- f())
    w <- min(w, t[["elapsed"]]); c <- min(c, t[["user.self"]] + t[["sys.self"]])
  }
  c(n, w, c)
}
if (a[1] != "-") {
  r <- best(function() nrow(as.data.frame(readSDMX(a[1], isURL = FALSE))))
  cat("rsdmx", sprintf("%d %.3f %.3f", as.integer(r[1]), r[2], r[3]), "\n")
}
if (a[2] != "-") {
  r <- best(function() nrow(fread(a[2], nThread = 1)))
  cat("fread", sprintf("%d %.3f %.3f", as.integer(r[1]), r[2], r[3]), "\n")
}
