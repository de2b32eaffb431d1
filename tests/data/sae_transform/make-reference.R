# make-reference.R - expected Fay-Herriot results with transformations (log, arcsin) and
# benchmarking on emdi's Austrian EU-SILC district aggregates, from R emdi 2.2.2 and sae 1.3, both
# built from the CRAN sources into private libraries (none of their code is in this repository).
# Run from this folder: R_LIBS=/tmp/Rlib-fh:/tmp/Rlib Rscript make-reference.R
#
# emdi estimates sigma2_u with optimize() at its default tolerance (about 1e-4 absolute), so its
# fh() output is only good to about 1e-4. The expected values are therefore emdi's own
# back-transformation, MSE and benchmarking functions (emdi:::bc_sm, emdi:::bc_crude,
# emdi:::arcsin_point, emdi::benchmark) evaluated at the converged fit of sae's eblupFH/mseFH
# (Fisher scoring, PRECISION 1e-13). emdi::fh() itself is also run and its distance to these
# values written to emdi_fh_agreement.csv. For REML with the Slud-Maiti correction (emdi allows
# bc_sm only with ML) the same emdi functions are evaluated at the REML fit.
suppressPackageStartupMessages({ library(emdi); library(sae) })
data("eusilcA_smpAgg"); data("eusilcA_popAgg"); data("eusilcA_pop")
cd <- combine_data(pop_data = eusilcA_popAgg, pop_domains = "Domain",
                   smp_data = eusilcA_smpAgg, smp_domains = "Domain")
cd$Domain <- as.character(cd$Domain)
# the state of each district (from emdi's unit-level eusilcA_pop) and the district's share of its
# state's population, for benchmarking to state totals
st <- unique(eusilcA_pop[, c("state", "district")])
cd$state <- as.character(st$state[match(cd$Domain, as.character(st$district))])
cd$state_share <- cd$ratio_n / ave(cd$ratio_n, cd$state, FUN = sum)
keep <- c("Domain", "Mean", "Var_Mean", "MTMED", "Var_MTMED", "n", "cash", "self_empl",
          "age_ben", "rent", "house_allow", "ratio_n", "state", "state_share")
dat <- cd[, keep]
f17 <- function(df) { df[] <- lapply(df, function(c) if (is.numeric(c)) sprintf("%.17g", c) else c); df }
write.csv(f17(dat), "eusilc_agg.csv", row.names = FALSE, na = "")
# areas without a direct estimate, for the out-of-sample case
drop <- c(7, 30, 61, 88)
dmiss <- dat; dmiss$MTMED[drop] <- NA; dmiss$Var_MTMED[drop] <- NA
write.csv(f17(dmiss), "eusilc_agg_missing.csv", row.names = FALSE, na = "")

M <- nrow(dat)
# converged fit on the transformed scale; in = rows with a direct estimate
fit <- function(y, vardir, X, meth, inrows = seq_len(M)) {
  r <- mseFH(y[inrows] ~ X[inrows, -1], vardir[inrows], method = toupper(meth),
             MAXITER = 1000, PRECISION = 1e-13)
  A <- r$est$fit$refvar; b <- r$est$fit$estcoef$beta
  syn <- as.vector(X %*% b)
  est <- syn; est[inrows] <- as.vector(r$est$eblup)
  mse <- rep(NA_real_, M); mse[inrows] <- r$mse
  Xi <- X[inrows, , drop = FALSE]
  Q <- solve(t(Xi / (A + vardir[inrows])) %*% Xi)
  out <- setdiff(seq_len(M), inrows)
  if (length(out)) {
    bML <- if (meth == "ml") -sum(diag(Q %*% (t(Xi / (A + vardir[inrows])^2) %*% Xi))) /
      sum(1 / (A + vardir[inrows])^2) else 0
    mse[out] <- A + bML + rowSums((X[out, , drop = FALSE] %*% Q) * X[out, , drop = FALSE])
  }
  list(A = A, beta = b, eblup = est, mse = mse, syn = syn, in_ = inrows,
       gamma = A / (A + vardir[inrows]))
}
# the pieces of emdi's framework and eblup objects that its back-transformations read
emdi_obj <- function(f, X, vardir, meth) {
  obs <- seq_len(M) %in% f$in_
  fw <- list(model_X = X[obs, , drop = FALSE], vardir = vardir[obs], m = sum(obs), M = M,
             p = ncol(X), obs_dom = obs, combined_data = dat, domains = "Domain",
             correlation = "no")
  eb <- list(coefficients = data.frame(coefficients = f$beta), gamma = f$gamma,
             eblup_data = data.frame(FH = f$eblup))
  list(fw = fw, eb = eb)
}
areas <- NULL; fits <- NULL; agree <- NULL; intg <- NULL
addfit <- function(case, meth, f) fits <<- rbind(fits, data.frame(case = case, method = meth,
  sigma2_u = f$A, term = c("(Intercept)", colnames(f$X)[-1]), beta = f$beta))

# --- log: Mean ~ cash + self_empl, variance Var_Mean / Mean^2 (delta method, as emdi)
Xl <- cbind(1, cash = dat$cash, self_empl = dat$self_empl)
yl <- log(dat$Mean); vl <- dat$Var_Mean / dat$Mean^2
for (meth in c("reml", "ml")) {
  f <- fit(yl, vl, Xl, meth); f$X <- Xl
  o <- emdi_obj(f, Xl, vl, meth)
  sm <- emdi:::bc_sm(framework = o$fw, sigmau2 = f$A, combined_data = dat, eblup = o$eb,
                     method = meth, MSE = TRUE)
  cr <- emdi:::bc_crude(framework = o$fw, sigmau2 = f$A, combined_data = dat, eblup = o$eb,
                        method = meth, MSE = TRUE)
  areas <- rbind(areas,
    data.frame(case = paste0("log_bc_", meth), id = dat$Domain, est_t = f$eblup, mse_t = f$mse,
               est = sm$point_backtransformed, mse = sm$mse_backtransformed),
    data.frame(case = paste0("log_crude_", meth), id = dat$Domain, est_t = f$eblup, mse_t = f$mse,
               est = cr$point_backtransformed, mse = cr$mse_backtransformed),
    data.frame(case = paste0("log_naive_", meth), id = dat$Domain, est_t = f$eblup, mse_t = f$mse,
               est = exp(f$eblup), mse = NA_real_))
  addfit(paste0("log_", meth), meth, f)
  # emdi's own fit (ML only for bc_sm)
  for (bt in if (meth == "ml") c("bc_sm", "bc_crude") else "bc_crude") {
    e <- fh(fixed = Mean ~ cash + self_empl, vardir = "Var_Mean", combined_data = cd,
            domains = "Domain", method = meth, transformation = "log",
            backtransformation = bt, MSE = TRUE, mse_type = "analytical")
    ref <- if (bt == "bc_sm") sm else cr
    agree <- rbind(agree, data.frame(case = paste("log", bt, meth),
      max_rel_est = max(abs(e$ind$FH / ref$point_backtransformed - 1)),
      max_rel_mse = max(abs(e$MSE$FH / ref$mse_backtransformed - 1)),
      sigma2_u_emdi = e$model$variance, sigma2_u_sae = f$A))
  }
}

# --- arcsin: MTMED ~ cash + age_ben + rent + house_allow, variance 1/(4 n)
Xa <- cbind(1, cash = dat$cash, age_ben = dat$age_ben, rent = dat$rent,
            house_allow = dat$house_allow)
ya <- asin(sqrt(dat$MTMED)); va <- 1 / (4 * dat$n)
# (REML only: the ML estimate of sigma2_u is 0 here, where emdi's "bc" integral is undefined)
for (cs in list(list("reml", seq_len(M), ""), list("reml", setdiff(seq_len(M), drop), "_oos"))) {
  meth <- cs[[1]]; f <- fit(ya, va, Xa, meth, cs[[2]]); f$X <- Xa
  o <- emdi_obj(f, Xa, va, meth)
  for (bt in c("naive", "bc")) {
    p <- emdi:::arcsin_point(o$fw, f$A, o$eb, bt)
    if (bt == "bc") {
      # emdi integrates sin(x)^2 dnorm(x, mu, sd) over [0, pi/2] with integrate()'s default
      # tolerance on the whole interval, which can miss the narrow peak (sd ~ 0.01 here); the
      # same integral is taken here over the peak (+-12 sd within [0, pi/2]) at rel.tol 1e-12
      # and emdi's values are kept in emdi_arcsin_bc_integral.csv for comparison
      v <- f$A * (1 - f$gamma); mu <- f$eblup[f$in_]
      acc <- mapply(function(m, s) {
        lo <- max(0, m - 12 * s); hi <- min(pi / 2, m + 12 * s)
        if (hi <= lo) 0 else integrate(function(x) sin(x)^2 * dnorm(x, m, s), lo, hi,
                                       rel.tol = 1e-12, subdivisions = 1000L)$value
      }, mu, sqrt(v))
      intg <<- rbind(intg, data.frame(case = paste0(meth, cs[[3]]), id = dat$Domain[f$in_],
                                      emdi_integrate = p[f$in_], accurate = acc))
      p[f$in_] <- acc
    }
    areas <- rbind(areas, data.frame(case = paste0("arcsin_", bt, "_", meth, cs[[3]]),
      id = dat$Domain, est_t = f$eblup, mse_t = f$mse, est = p, mse = NA_real_))
    if (cs[[3]] == "") {
      e <- fh(fixed = MTMED ~ cash + age_ben + rent + house_allow, vardir = "Var_MTMED",
              combined_data = cd, domains = "Domain", method = meth, transformation = "arcsin",
              backtransformation = bt, eff_smpsize = "n", MSE = FALSE)
      agree <- rbind(agree, data.frame(case = paste("arcsin", bt, meth),
        max_rel_est = max(abs(e$ind$FH / p - 1)), max_rel_mse = NA,
        sigma2_u_emdi = e$model$variance, sigma2_u_sae = f$A))
    }
  }
  addfit(paste0("arcsin_", meth, cs[[3]]), meth, f)
}

# --- benchmarking (emdi's example): Mean ~ cash + self_empl, ML, no transformation
f <- fit(dat$Mean, dat$Var_Mean, Xl, "ml"); f$X <- Xl
addfit("bench_ml", "ml", f)
obj <- structure(list(ind = data.frame(Domain = dat$Domain, Direct = dat$Mean, FH = f$eblup,
                                       Out = 0)), class = c("emdi", "model", "fh"))
for (ty in c("ratio", "raking")) {
  bb <- benchmark(obj, benchmark = 20140.09, share = dat$ratio_n, type = ty)
  areas <- rbind(areas, data.frame(case = paste0("bench_", ty), id = dat$Domain, est_t = f$eblup,
                                   mse_t = f$mse, est = bb$FH_Bench, mse = NA_real_))
}
# per state: the state's share-weighted direct mean as its total (state_totals.csv), emdi's
# benchmark() on each state's districts with the within-state shares
tot <- aggregate(list(total = dat$state_share * dat$Mean), list(state = dat$state), sum)
write.csv(f17(tot), "state_totals.csv", row.names = FALSE, quote = FALSE)
for (ty in c("ratio", "raking")) {
  fb <- rep(NA_real_, M)
  for (s in tot$state) {
    k <- which(dat$state == s)
    o <- structure(list(ind = data.frame(Domain = dat$Domain[k], Direct = dat$Mean[k],
                                         FH = f$eblup[k], Out = 0)), class = c("emdi", "model", "fh"))
    fb[k] <- benchmark(o, benchmark = tot$total[tot$state == s], share = dat$state_share[k],
                       type = ty)$FH_Bench
  }
  areas <- rbind(areas, data.frame(case = paste0("bench_by_", ty), id = dat$Domain,
                                   est_t = f$eblup, mse_t = f$mse, est = fb, mse = NA_real_))
}
write.csv(f17(areas), "expected_areas.csv", row.names = FALSE, quote = TRUE)
write.csv(f17(fits), "expected_fit.csv", row.names = FALSE, quote = TRUE)
write.csv(agree, "emdi_fh_agreement.csv", row.names = FALSE)
write.csv(f17(intg), "emdi_arcsin_bc_integral.csv", row.names = FALSE, quote = TRUE)

# --- parametric bootstrap MSE for arcsin (emdi's only MSE for arcsin: boot_arcsin_2), REML,
# B = 1000 replicates, bc and naive. Random: our bootstrap is compared with these within Monte
# Carlo tolerance (README.md). emdi re-estimates sigma2_u in each replicate with optimize().
B <- 1000L
set.seed(20140)
boot <- NULL
for (bt in c("bc", "naive")) {
  t0 <- Sys.time()
  e <- suppressMessages(fh(fixed = MTMED ~ cash + age_ben + rent + house_allow,
          vardir = "Var_MTMED", combined_data = cd, domains = "Domain", method = "reml",
          transformation = "arcsin", backtransformation = bt, eff_smpsize = "n", MSE = TRUE,
          mse_type = "boot", B = B))
  message(bt, ": ", format(Sys.time() - t0))
  boot <- rbind(boot, data.frame(case = paste0("arcsin_", bt, "_reml"), id = dat$Domain,
                                 est = e$ind$FH, mse_boot = e$MSE$FH, B = B))
}
write.csv(f17(boot), "expected_boot.csv", row.names = FALSE, quote = TRUE)
writeLines(c(R.version.string, paste("emdi", packageVersion("emdi")),
             paste("sae", packageVersion("sae")), paste("MASS", packageVersion("MASS")),
             paste("BLAS:", extSoftVersion()[["BLAS"]]), paste("platform:", R.version$platform)),
           "versions.txt")
