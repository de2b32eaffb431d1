# make-reference.R - expected Fay-Herriot results on milk.csv from R sae 1.3 (eblupFH, mseFH),
# built from the CRAN sources into a private library (R CMD INSTALL -l /tmp/Rlib sae).
# Run from this folder: R_LIBS=/tmp/Rlib Rscript make-reference.R
suppressPackageStartupMessages(library(sae))
milk <- read.csv("milk.csv")
milk$MajorArea <- as.factor(milk$MajorArea)
f17 <- function(df) { df[] <- lapply(df, function(c) if (is.numeric(c)) sprintf("%.17g", c) else c); df }
areas <- NULL; coefs <- NULL; fits <- NULL
for (meth in c("REML", "ML")) {
  # tight convergence so the reference is the converged fit, not sae's default 1e-4 stop
  r <- mseFH(yi ~ MajorArea, vardir, method = meth, MAXITER = 1000, PRECISION = 1e-13, data = milk)
  e <- r$est
  X <- model.matrix(~ MajorArea, milk)
  areas <- rbind(areas, data.frame(method = tolower(meth), id = milk$SmallArea,
    eblup = as.vector(e$eblup), mse = r$mse,
    gamma = e$fit$refvar / (e$fit$refvar + milk$vardir),
    synthetic = as.vector(X %*% e$fit$estcoef$beta)))
  coefs <- rbind(coefs, data.frame(method = tolower(meth), term = colnames(X),
    estimate = e$fit$estcoef$beta, se = e$fit$estcoef$std.error,
    z = e$fit$estcoef$tvalue, p = e$fit$estcoef$pvalue))
  fits <- rbind(fits, data.frame(method = tolower(meth), sigma2_u = e$fit$refvar,
    loglik = e$fit$goodness[["loglike"]], aic = e$fit$goodness[["AIC"]],
    bic = e$fit$goodness[["BIC"]]))
}
# Areas without a direct estimate: areas 5, 20 and 40 dropped; sae fits the rest (REML), and the
# synthetic estimate x'beta with MSE sigma2_u + x' (X'V^-1X)^-1 x is written out from the formula.
drop <- c(5, 20, 40)
m2 <- milk[-drop, ]
r2 <- mseFH(yi ~ MajorArea, vardir, method = "REML", MAXITER = 1000, PRECISION = 1e-13, data = m2)
A <- r2$est$fit$refvar; b <- r2$est$fit$estcoef$beta
X2 <- model.matrix(~ MajorArea, m2); Xall <- model.matrix(~ MajorArea, milk)
Q <- solve(t(X2 / (A + m2$vardir)) %*% X2)
oos <- data.frame(id = milk$SmallArea,
  eblup = NA_real_, mse = NA_real_, synthetic = as.vector(Xall %*% b))
oos$eblup[-drop] <- r2$est$eblup; oos$mse[-drop] <- r2$mse
oos$eblup[drop] <- oos$synthetic[drop]
oos$mse[drop] <- A + rowSums((Xall[drop, ] %*% Q) * Xall[drop, ])
write.csv(f17(areas), "expected_areas.csv", row.names = FALSE, quote = FALSE)
write.csv(f17(coefs), "expected_coef.csv", row.names = FALSE, quote = FALSE)
write.csv(f17(fits), "expected_fit.csv", row.names = FALSE, quote = FALSE)
write.csv(f17(oos), "expected_oos.csv", row.names = FALSE, quote = FALSE)
m3 <- milk; m3$yi[drop] <- NA; write.csv(m3, "milk_missing.csv", row.names = FALSE, na = "")
writeLines(c(R.version.string, paste("sae", packageVersion("sae")),
             paste("MASS", packageVersion("MASS")), paste("lme4", packageVersion("lme4")),
             paste("BLAS:", extSoftVersion()[["BLAS"]]), paste("platform:", R.version$platform)),
           "versions.txt")
