# make-reference.R - expected adjusted Mazziotta-Pareto index (AMPI) values on the EU 2020
# headline indicators, 2010 and 2011 (Compind's example data), from the published formulas:
# Mazziotta & Pareto (2016) Social Indicators Research 127: r = 100 +/- 60 (x - ref)/(max - min),
# min and max pooled over all units and both years; AMPI = M -/+ S * cv (S population sd).
# Polarity: early leavers (earlyl) and greenhouse-gas emissions (gasemiss) are "higher is worse".
options(digits = 17)
d <- read.csv("eu2020_headline.csv", check.names = FALSE)
pol <- c(employ = 1, tertiary = 1, earlyl = -1, shareren = 1, gasemiss = -1)
sdp <- function(v) sqrt(mean((v - mean(v))^2))
f17 <- function(v) sprintf("%.17g", v)
ampi <- function(D, ref, pen) {
  X <- as.matrix(D[, names(pol)])
  rng <- apply(X, 2, max) - apply(X, 2, min)
  Rr <- 100 + sweep(sweep(sweep(X, 2, ref), 2, rng, "/"), 2, pol * 60, "*")
  M <- rowMeans(Rr); S <- apply(Rr, 1, sdp)
  M + pen * S * S / M
}
rank_by_year <- function(s, year) ave(-s, year, FUN = rank)
# 1. reference = mean over all rows (both years), penalty negative and positive
X <- as.matrix(d[, names(pol)])
a_neg <- ampi(d, colMeans(X), -1); a_pos <- ampi(d, colMeans(X), +1)
write.csv(data.frame(geo = d$geo, year = d$year, ampi_neg = f17(a_neg),
                     rank_neg = f17(rank_by_year(a_neg, d$year)), ampi_pos = f17(a_pos)),
          "expected_mean.csv", row.names = FALSE, quote = TRUE)
# 2. reference = EU (28 countries) in 2010; that area's rows are not scored (nor in min/max)
refrow <- d$geo == "EU (28 countries)" & d$year == 2010
ref <- unlist(d[refrow, names(pol)])
D2 <- d[d$geo != "EU (28 countries)", ]
a_ref <- ampi(D2, ref, -1)
write.csv(data.frame(geo = D2$geo, year = D2$year, ampi_ref = f17(a_ref),
                     rank_ref = f17(rank_by_year(a_ref, D2$year))),
          "expected_ref.csv", row.names = FALSE, quote = TRUE)
si <- sessionInfo()
writeLines(c(R.version.string, paste("BLAS:", si$BLAS), paste("platform:", si$platform)),
           "versions.txt")
