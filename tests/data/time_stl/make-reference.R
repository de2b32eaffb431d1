# make-reference.R - stats::stl decompositions for tests/unit/test_anomaly.c (R's datasets).
# Run from this directory: Rscript make-reference.R
lab <- function(x) { f <- frequency(x); t <- time(x); y <- floor(t + 1e-9); k <- round((t - y) * f) + 1
  if (f == 4) sprintf("%d-Q%d", y, k) else sprintf("%d-%02d", y, k) }
out <- function(name, x, fit) {
  write.csv(data.frame(period = lab(x), value = sprintf("%.17g", as.numeric(x))), paste0(name, ".csv"),
            row.names = FALSE, quote = FALSE)
  s <- fit$time.series
  e <- data.frame(period = lab(x), seasonal = sprintf("%.17g", s[, "seasonal"]),
                  trend = sprintf("%.17g", s[, "trend"]), remainder = sprintf("%.17g", s[, "remainder"]))
  write.csv(e, paste0("expected_", name, ".csv"), row.names = FALSE, quote = FALSE)
}
out("co2_periodic", co2, stl(co2, s.window = "periodic"))
out("co2_sw7_robust", co2, stl(co2, s.window = 7, robust = TRUE))
out("nottem_sw13", nottem, stl(nottem, s.window = 13))
lg <- log(UKgas); out("ukgas_log_periodic", lg, stl(lg, s.window = "periodic"))
out("ukgas_log_sw7", lg, stl(lg, s.window = 7))
# robust fits on a series of odd length: for even n, R's stlrwt asks psort for positions
# (n/2 + 1, n/2) in decreasing order and the partial sort does not always place the second one,
# so its 6 MAD can differ from the true median (nottem, UKgas); odd n asks for one position.
x <- window(nottem, end = c(1939, 11)); out("nottem_odd_sw7_robust", x, stl(x, s.window = 7, robust = TRUE))
out("co2_periodic_robust", co2, stl(co2, s.window = "periodic", robust = TRUE))
x <- window(AirPassengers, start = c(1950, 4)); out("air_from_april_sw9", x, stl(x, s.window = 9))
