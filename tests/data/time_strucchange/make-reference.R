# make-reference.R - single break in mean: strucchange::breakpoints (least squares, one break,
# minimum segment h = 2) against changepoint::cpt.mean (AMOC, normal, MBIC) on real series:
# Nile (1871-1970) and the BES regional series 2015-2024 of three indicators (those with 8 or more consecutive years) (examples/data).
# Series are divided by a noise scale, mad(diff(y)) / sqrt(2) (changepoint's mean cost assumes
# variance 1; the least-squares break does not depend on the scale). Run from this directory.
suppressMessages({ library(strucchange); library(changepoint) })
bes <- read.csv("../../../examples/data/bes_regions_long.csv", colClasses = c(reg_code = "character"))
ser <- list(nile = list(start = 1871, y = as.numeric(Nile)))
for (ind in c("03LAV002-N22", "04BEC006P", "01SAL001")) {
  d <- bes[bes$indicator_id == ind, ]
  for (r in sort(unique(d$reg_code))) {
    x <- d[d$reg_code == r, ]; x <- x[order(x$year), ]
    if (nrow(x) >= 8 && all(diff(x$year) == 1)) ser[[paste0(ind, "_", r)]] <- list(start = x$year[1], y = x$value)
  }
}
rows <- NULL; exp <- NULL
for (id in names(ser)) {
  s <- mad(diff(ser[[id]]$y)) / sqrt(2); if (s == 0) s <- sd(diff(ser[[id]]$y)) / sqrt(2)
  y <- ser[[id]]$y / s; n <- length(y)
  rows <- rbind(rows, data.frame(id = id, period = ser[[id]]$start + seq_len(n) - 1, value = sprintf("%.17g", y)))
  fit <- breakpoints(y ~ 1, h = 2)                     # dynamic programming, up to n/h breaks
  bp <- breakpoints(fit, breaks = 1)$breakpoints        # the best single break
  bic <- breakpoints(fit)$breakpoints                    # the number of breaks chosen by BIC
  cp <- cpts(cpt.mean(y, method = "AMOC", penalty = "MBIC", test.stat = "Normal"))
  exp <- rbind(exp, data.frame(id = id, n = n, strucchange_break = ifelse(is.na(bp[1]), "", bp[1]),
                               strucchange_bic = if (all(is.na(bic))) "" else paste(bic, collapse = " "),
                               changepoint_amoc = ifelse(length(cp), cp[1], "")))
}
write.csv(rows, "series.csv", row.names = FALSE, quote = FALSE)
write.csv(exp, "expected.csv", row.names = FALSE, quote = FALSE)
