# index.R - the same Monte Carlo as bench/index_bench.c, vectorised in base R: per replication
# draw the normalisation (MP or min-max), the aggregation (MPI or arithmetic) and 10 weights in
# [0.5, 1.5]; aggregate within 5 dimensions then across them; rank. Then median and 90% rank
# interval per area. Usage: Rscript index.R DATA.csv REPLICATIONS
args <- commandArgs(TRUE); reps <- as.integer(args[2])
X <- as.matrix(read.csv(args[1])[, -1]); n <- nrow(X); m <- ncol(X)
pol <- ifelse((0:(m - 1)) %% 7 == 3, -1, 1); dim <- (0:(m - 1)) %/% 10 + 1
t0 <- proc.time()[["elapsed"]]
sdp <- function(v) sqrt(mean((v - mean(v))^2))
Zmp <- 100 + 10 * sweep(sweep(sweep(X, 2, colMeans(X)), 2, apply(X, 2, sdp), "/"), 2, pol, "*")
Zmm <- apply(X, 2, function(v) (v - min(v)) / (max(v) - min(v)))
Zmm[, pol < 0] <- 1 - Zmm[, pol < 0]
ranged <- seq(1, m, by = 5)
ranks <- matrix(0, n, reps)
set.seed(1)
agg <- function(Z, W, mpi) {         # Z: n x k, W: k x g block weights (columns sum to 1)
  M <- Z %*% W
  if (!mpi) return(M)
  S2 <- (Z * Z) %*% W - M * M
  M - S2 / M
}
for (r in 1:reps) {
  Z <- if (runif(1) < 0.5) Zmp else Zmm
  mpi <- runif(1) < 0.5
  w <- rep(1, m); w[ranged] <- runif(length(ranged), 0.5, 1.5)
  W <- matrix(0, m, 5); W[cbind(1:m, dim)] <- w; W <- sweep(W, 2, colSums(W), "/")
  D <- agg(Z, W, mpi)
  s <- agg(D, matrix(1 / 5, 5, 1), mpi)
  ranks[, r] <- rank(-s)
}
q <- apply(ranks, 1, quantile, probs = c(0.05, 0.5, 0.95))
t <- proc.time()[["elapsed"]] - t0
cat(sprintf("R: %d areas x %d indicators, %d replications: %.2f s (%.4f s per replication)\n",
            n, m, reps, t, t / reps))
