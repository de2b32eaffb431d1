# make-reference.R - expected values for the index module on the OECD Better Life Index 2017
# (35 countries x 11 topics, all "higher is better"), written from the published formulas:
# Mazziotta & Pareto (2016) Social Indicators Research 127 (MPI), OECD/JRC Handbook (2008)
# (min-max, z-scores, ranks, geometric mean, PCA and factor-analysis weights).
# Run: Rscript make-reference.R  (writes expected.csv, weights.csv, checks.csv, versions.txt)
options(digits = 17)
x <- read.csv("bli2017.csv", check.names = FALSE)
X <- as.matrix(x[, -1]); n <- nrow(X); m <- ncol(X)
sdp <- function(v) sqrt(mean((v - mean(v))^2))          # population sd
f17 <- function(v) sprintf("%.17g", v)

# Mazziotta-Pareto: z = 100 + 10 (x - mean) / sigma_pop; MPI = M -/+ S * cv, cv = S / M
Z <- 100 + 10 * sweep(sweep(X, 2, colMeans(X)), 2, apply(X, 2, sdp), "/")
M <- rowMeans(Z); S <- apply(Z, 1, sdp); cv <- S / M
mpi_neg <- M - S * cv; mpi_pos <- M + S * cv
minmax <- rowMeans(apply(X, 2, function(v) (v - min(v)) / (max(v) - min(v))))
zmean <- rowMeans(scale(X))                               # sample sd, as R scale()
mm100 <- apply(X, 2, function(v) 1 + 99 * (v - min(v)) / (max(v) - min(v)))
geom <- exp(rowMeans(log(mm100)))                         # geometric mean of min-max on [1, 100]
rankmean <- rowMeans(apply(X, 2, rank))                   # ties averaged

# Weights from data: correlation matrix of the indicators
R <- cor(X); e <- eigen(R, symmetric = TRUE)
w_pca <- e$vectors[, 1]^2                                 # squared loadings of PC1 (sum 1)
pca_score <- drop(scale(X) %*% w_pca)
k <- sum(e$values > 1)
L <- e$vectors[, 1:k, drop = FALSE] %*% diag(sqrt(e$values[1:k]), k)
pr <- psych::principal(R, nfactors = k, rotate = "none")  # cross-check of the loadings
stopifnot(max(abs(abs(unclass(pr$loadings)) - abs(L))) < 1e-8)
Lr <- if (k > 1) unclass(stats::varimax(L, normalize = TRUE, eps = 1e-10)$loadings) else L
sq <- Lr^2; ev <- colSums(sq); best <- apply(sq, 1, which.max)
w_fa <- sq[cbind(1:m, best)] / ev[best] * ev[best] / sum(ev); w_fa <- w_fa / sum(w_fa)
fa_score <- drop(scale(X) %*% w_fa)

# Checks: Cronbach's alpha of the MP-standardised indicators; PCA explained variance
alpha <- psych::alpha(as.data.frame(Z), check.keys = FALSE, warnings = FALSE)$total$raw_alpha

rk <- function(s) rank(-s)
write.csv(data.frame(country = x$country,
                     mpi_neg = f17(mpi_neg), rank_mpi_neg = f17(rk(mpi_neg)),
                     mpi_pos = f17(mpi_pos), minmax = f17(minmax), zmean = f17(zmean),
                     geom = f17(geom), rankmean = f17(rankmean), pca = f17(pca_score),
                     fa = f17(fa_score), rank_fa = f17(rk(fa_score))),
          "expected.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(indicator = colnames(X), w_pca = f17(w_pca), w_fa = f17(w_fa),
                     explained = f17(e$values / m)),
          "weights.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(nfactors = k, alpha = f17(alpha)), "checks.csv", row.names = FALSE,
          quote = FALSE)
si <- sessionInfo()
writeLines(c(R.version.string, paste("psych", packageVersion("psych")),
             paste("GPArotation", packageVersion("GPArotation")),
             paste("BLAS:", si$BLAS), paste("LAPACK:", si$LAPACK), paste("platform:", si$platform)),
           "versions.txt")
