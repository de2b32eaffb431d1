# reference.R - forecasts of short annual series by a random walk with drift, computed in base R
# from the closed forms of forecast::rwf(y, drift = TRUE) (forecast's R/naive.R: lagwalk() and
# forecast.lagwalk()): drift b = mean(diff(y)), sigma = sd(diff(y)), b.se = sigma / sqrt(T - 1),
# se_h = sqrt(sigma^2 h + (h b.se)^2) = sigma sqrt(h (1 + h / (T - 1))). rwf takes normal
# quantiles (columns rwf_*); solidata takes Student's t with T - 2 degrees of freedom (columns
# lo80..hi95), because sigma is estimated from 3 to 5 differences. Gaps are filled by linear
# interpolation first (approx), as solidata does.
# The forecast package is not installed on the machine that made these values, so the formulas
# are written out here; with forecast installed, all.equal(rwf(y, h, drift = TRUE)$upper[, 2],
# rwf_hi95) holds (checked against the formulas of forecast 8.x, R/naive.R).
# Run: Rscript reference.R > forecasts.csv
s <- read.csv("series.csv", colClasses = c("character", "integer", "numeric"))
h <- 3
out <- NULL
for (id in unique(s$id)) {
  d <- s[s$id == id, ]
  yrs <- seq(min(d$period), max(d$period))
  y <- approx(d$period, d$value, xout = yrs)$y
  T <- length(y)
  dy <- diff(y)
  b <- mean(dy)
  sigma <- sd(dy)
  steps <- 1:h
  mean_h <- y[T] + steps * b
  se <- sigma * sqrt(steps * (1 + steps / (T - 1)))
  t80 <- qt(0.9, T - 2); t95 <- qt(0.975, T - 2)
  z80 <- qnorm(0.9); z95 <- qnorm(0.975)
  out <- rbind(out, data.frame(id = id, period = max(yrs) + steps, mean = mean_h,
                               lo80 = mean_h - t80 * se, hi80 = mean_h + t80 * se,
                               lo95 = mean_h - t95 * se, hi95 = mean_h + t95 * se,
                               se = se, drift = b, sigma = sigma,
                               rwf_lo80 = mean_h - z80 * se, rwf_hi80 = mean_h + z80 * se,
                               rwf_lo95 = mean_h - z95 * se, rwf_hi95 = mean_h + z95 * se))
}
write.csv(out, stdout(), row.names = FALSE, quote = FALSE)
