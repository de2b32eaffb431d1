# make-reference.R - expected values for the index module on 12 Istat BES indicators of the 20
# Italian regions in 2019, in 4 dimensions, with missing values (07SIC006P, 10AMB017) and two
# skewed indicators (10AMB008, 10AMB016) that the JRC rule winsorises. Formulas: OECD/JRC Handbook
# (2008) and the JRC COIN rule (|skewness| > 2 and kurtosis > 3.5, up to 5 values, Excel
# SKEW/KURT); Mazziotta & Pareto (2016). Aggregation is two-level: indicators -> dimension ->
# index, with the same aggregator at both levels.
options(digits = 17)
d <- read.csv("bes2019.csv", check.names = FALSE, colClasses = c(reg_code = "character"))
ind <- c("01SAL001", "01SAL004", "01SAL006", "03LAV001-N22", "03LAV002-N22", "03LAV004P",
         "07SIC001P", "07SIC006P", "07SIC008P", "10AMB008", "10AMB016", "10AMB017")
pol <- c(1, -1, -1, 1, -1, 1, -1, -1, -1, 1, 1, 1)
dim <- rep(c("health", "work", "safety", "environment"), each = 3)
X <- as.matrix(d[, ind]); n <- nrow(X); m <- ncol(X)
sdp <- function(v) sqrt(mean((v - mean(v))^2))
f17 <- function(v) sprintf("%.17g", v)
skew <- function(x) { n <- length(x); s <- sd(x); n / ((n - 1) * (n - 2)) * sum(((x - mean(x)) / s)^3) }
kurt <- function(x) { n <- length(x); s <- sd(x)
  n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * sum(((x - mean(x)) / s)^4) -
    3 * (n - 1)^2 / ((n - 2) * (n - 3)) }
winsor <- function(v) {
  done <- 0
  while (done < 5) {
    o <- v[!is.na(v)]
    s <- skew(o); k <- kurt(o)
    if (!(abs(s) > 2 && k > 3.5)) break
    i <- if (s > 0) which(v == max(o))[1] else which(v == min(o))[1]
    rest <- v[-i]; rest <- rest[!is.na(rest)]
    v[i] <- if (s > 0) max(rest) else min(rest)
    done <- done + 1
  }
  list(v = v, n = done)
}
W <- X; nw <- integer(m)
for (j in 1:m) { w <- winsor(X[, j]); W[, j] <- w$v; nw[j] <- w$n }
sk0 <- apply(X, 2, function(v) skew(v[!is.na(v)])); ku0 <- apply(X, 2, function(v) kurt(v[!is.na(v)]))
impute <- function(X, how) {
  for (j in 1:ncol(X)) {
    miss <- is.na(X[, j]); if (!any(miss)) next
    X[miss, j] <- if (how == "mean") mean(X[!miss, j]) else median(X[!miss, j])
  }
  X
}
impute_reg <- function(X) {
  comp <- colSums(is.na(X)) == 0
  Y <- X
  for (j in which(!comp)) {
    df <- data.frame(y = X[, j], X[, comp, drop = FALSE], check.names = TRUE)
    fit <- lm(y ~ ., data = df)
    miss <- is.na(X[, j])
    Y[miss, j] <- predict(fit, newdata = df[miss, , drop = FALSE])
  }
  Y
}
zs <- function(X) sweep(sweep(sweep(X, 2, colMeans(X, na.rm = TRUE)), 2,
                        apply(X, 2, sd, na.rm = TRUE), "/"), 2, pol, "*")
mp <- function(X) 100 + 10 * sweep(sweep(sweep(X, 2, colMeans(X, na.rm = TRUE)), 2,
                                   apply(X, 2, function(v) sdp(v[!is.na(v)])), "/"), 2, pol, "*")
minmax <- function(X) { Z <- apply(X, 2, function(v) (v - min(v)) / (max(v) - min(v)))
  for (j in 1:m) if (pol[j] < 0) Z[, j] <- 1 - Z[, j]; Z }
wmean <- function(v, w) { ok <- !is.na(v); sum(w[ok] * v[ok]) / sum(w[ok]) }
wmpi <- function(v, w, pen) { ok <- !is.na(v); w <- w[ok] / sum(w[ok]); v <- v[ok]
  M <- sum(w * v); S2 <- sum(w * (v - M)^2); M + pen * S2 / M }
two_level <- function(Z, agg, wi = rep(1, m), wd = rep(1, 4)) {
  dims <- unique(dim)
  D <- sapply(dims, function(dd) { j <- which(dim == dd); apply(Z[, j, drop = FALSE], 1, agg, w = wi[j]) })
  s <- apply(D, 1, agg, w = wd)
  list(D = D, s = s)
}
out <- data.frame(reg_code = d$reg_code)
# A: winsorised, mean imputation, z-scores, arithmetic, equal weights
ZA <- zs(impute(W, "mean")); A <- two_level(ZA, wmean)
out$A <- f17(A$s); out$A_rank <- f17(rank(-A$s))
for (k in 1:4) out[[paste0("A_", colnames(A$D)[k])]] <- f17(A$D[, k])
# B: winsorised, left out and re-weighted, MP standardisation, MPI (negative penalty)
ZB <- mp(W); B <- two_level(ZB, function(v, w) wmpi(v, w, -1))
out$B <- f17(B$s); out$B_rank <- f17(rank(-B$s))
for (k in 1:4) out[[paste0("B_", colnames(B$D)[k])]] <- f17(B$D[, k])
# C: median imputation, min-max, arithmetic, human weights at both levels
wi <- c(2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2, 1); wd <- c(3, 2, 1, 1)
C <- two_level(minmax(impute(X, "median")), wmean, wi, wd)
out$C <- f17(C$s); out$C_rank <- f17(rank(-C$s))
# D: regression imputation on the complete indicators, z-scores, arithmetic
D <- two_level(zs(impute_reg(X)), wmean)
out$D <- f17(D$s)
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE)
# per indicator: winsorised count, skewness and kurtosis before treatment
alphaA <- sapply(unique(dim), function(dd)
  psych::alpha(as.data.frame(ZA[, dim == dd]), check.keys = FALSE, warnings = FALSE)$total$raw_alpha)
write.csv(data.frame(indicator = ind, n_winsorised = nw, skewness = f17(sk0), kurtosis = f17(ku0),
                     alpha_of_dim = f17(alphaA[match(dim, unique(dim))])),
          "indicators.csv", row.names = FALSE, quote = FALSE)
si <- sessionInfo()
writeLines(c(R.version.string, paste("psych", packageVersion("psych")),
             paste("BLAS:", si$BLAS), paste("platform:", si$platform)), "versions.txt")
