# make-reference.R - reference decompositions and BH adjustments for tests/unit/test_anomaly.c.
# Run from this directory: Rscript make-reference.R (R's stats and datasets only).
lab <- function(x) {
  f <- frequency(x); t <- time(x)
  y <- floor(t + 1e-9); k <- round((t - y) * f) + 1
  if (f == 1) sprintf("%d", y) else if (f == 4) sprintf("%d-Q%d", y, k) else sprintf("%d-%02d", y, k)
}
rz <- function(r) { r <- as.numeric(r); m <- median(r, na.rm = TRUE); s <- mad(r, na.rm = TRUE)
  if (s == 0) s <- 1.253314 * mean(abs(r - m), na.rm = TRUE); (r - m) / s }
out <- function(name, x, trend, seasonal, remainder) {
  write.csv(data.frame(period = lab(x), value = as.numeric(x)), paste0(name, ".csv"),
            row.names = FALSE, quote = FALSE)
  e <- data.frame(period = lab(x), trend = as.numeric(trend), seasonal = as.numeric(seasonal),
                  remainder = as.numeric(remainder), z = rz(remainder))
  for (k in 2:5) e[[k]] <- ifelse(is.na(e[[k]]), "", sprintf("%.17g", e[[k]]))
  write.csv(e, paste0("expected_", name, ".csv"), row.names = FALSE, quote = FALSE)
}
d <- decompose(co2); out("co2_additive", co2, d$trend, d$seasonal, d$random)
d <- decompose(UKgas, type = "multiplicative"); out("ukgas_multiplicative", UKgas, d$trend, d$seasonal, d$random)
d <- decompose(UKgas); out("ukgas_additive", UKgas, d$trend, d$seasonal, d$random)
# annual: Theil-Sen line (slope = median of the pairwise slopes, intercept = median(y - slope t)),
# written out in base R
sen <- function(y) { t <- seq_along(y) - 1; ij <- which(upper.tri(diag(length(y))), arr.ind = TRUE)
  b <- median((y[ij[, 2]] - y[ij[, 1]]) / (ij[, 2] - ij[, 1])); a <- median(y - b * t); a + b * t }
t <- ts(sen(as.numeric(Nile)), start = start(Nile)); out("nile_sen", Nile, t, 0 * t, Nile - t)
# a short BES-like annual series with a last-year jump
x <- ts(c(10, 11, 10.5, 11.2, 10.8, 11.1, 10.9, 11.4, 11.3, 15), start = 2015)
t <- ts(sen(as.numeric(x)), start = 2015); out("short_sen", x, t, 0 * t, x - t)
set.seed(42); p <- c(runif(40), rbeta(20, 0.3, 8), 1e-6, 0.5, 0.5)
write.csv(data.frame(p = sprintf("%.17g", p), q = sprintf("%.17g", p.adjust(p, "BH"))),
          "expected_bh.csv", row.names = FALSE, quote = FALSE)
