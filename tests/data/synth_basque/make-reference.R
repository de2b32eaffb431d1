# make-reference.R - reference values for solidata's synthetic control on the Basque Country
# (Abadie & Gardeazabal 2003), with R's Synth 1.1-8 (not in Debian: installed from CRAN's source
# into a private library, R_LIBS=/tmp/Rlib) and quadprog. The spec is Synth's own ?synth example
# (spec.json says the same in solidata's form; the sector shares exist in odd years only, so the
# mean over 1961-1969 skipping missing values is Synth's mean over seq(1961, 1969, 2)).
# Writes:
#   expected_fit.csv      Synth's W, V, loss.v, loss.w (V chosen by Synth: optimx Nelder-Mead+BFGS)
#   expected_given_v.csv  for V = equal weights (1/14 each): the inner QP solved by quadprog's
#                         solve.QP (an independent exact QP solver; a 1e-12 ridge keeps the
#                         Hessian positive definite) and by Synth (custom.v; kernlab ipop)
#   expected_path.csv     time, treated, synthetic, gap with Synth's W
#   expected_placebos.csv (PLACEBOS=1 only) placebo-in-space: each donor treated in turn (Basque left out of the
#                         pools), Synth's W, pre/post RMSPE and their ratio; the rank p-value
#   Rscript make-reference.R
suppressPackageStartupMessages({ library(Synth); library(quadprog) })
d <- read.csv("basque.csv")
pre <- 1955:1969; post <- 1970:1997
prep <- function(treated, controls) {
  invisible(capture.output(dp <- dataprep(foo = d,
    predictors = c("school.illit", "school.prim", "school.med", "school.high",
                   "school.post.high", "invest"),
    predictors.op = "mean", time.predictors.prior = 1964:1969,
    special.predictors = list(
      list("gdpcap", 1960:1969, "mean"),
      list("sec.agriculture", seq(1961, 1969, 2), "mean"),
      list("sec.energy", seq(1961, 1969, 2), "mean"),
      list("sec.industry", seq(1961, 1969, 2), "mean"),
      list("sec.construction", seq(1961, 1969, 2), "mean"),
      list("sec.services.venta", seq(1961, 1969, 2), "mean"),
      list("sec.services.nonventa", seq(1961, 1969, 2), "mean"),
      list("popdens", 1969, "mean")),
    dependent = "gdpcap", unit.variable = "regionno", unit.names.variable = "regionname",
    time.variable = "year", treatment.identifier = treated, controls.identifier = controls,
    time.optimize.ssr = 1960:1969, time.plot = 1955:1997)))
  dp
}
fit <- function(dp, ...) { invisible(capture.output(s <- synth(data.prep.obj = dp, ...))); s }
names_of <- function(ids) d$regionname[match(ids, d$regionno)]
rmspe <- function(dp, w) {
  g <- dp$Y1plot - dp$Y0plot %*% w; yrs <- as.numeric(rownames(dp$Y1plot))
  c(pre = sqrt(mean(g[yrs %in% pre]^2)), post = sqrt(mean(g[yrs %in% post]^2)))
}
donors <- c(2:16, 18)
dp <- prep(17, donors)
s <- fit(dp)
r <- rmspe(dp, s$solution.w)
write.csv(rbind(
  data.frame(kind = "w", name = names_of(donors), value = as.numeric(s$solution.w)),
  data.frame(kind = "v", name = rownames(dp$X1), value = as.numeric(s$solution.v)),
  data.frame(kind = c("loss_v", "loss_w", "rmspe_pre", "rmspe_post", "ratio"), name = "",
             value = c(as.numeric(s$loss.v), as.numeric(s$loss.w), r[1], r[2], r[2] / r[1]))),
  "expected_fit.csv", row.names = FALSE)
g <- dp$Y1plot - dp$Y0plot %*% s$solution.w
write.csv(data.frame(time = as.numeric(rownames(dp$Y1plot)), treated = as.numeric(dp$Y1plot),
                     synthetic = as.numeric(dp$Y0plot %*% s$solution.w), gap = as.numeric(g)),
          "expected_path.csv", row.names = FALSE)
# Given V: predictors scaled by their sd across the 17 units, as Synth does
X <- cbind(dp$X1, dp$X0); sdv <- apply(X, 1, sd)
X1 <- dp$X1 / sdv; X0 <- dp$X0 / sdv
k <- nrow(X0); J <- ncol(X0); v <- rep(1 / k, k)
H <- t(X0) %*% diag(v) %*% X0; H <- (H + t(H)) / 2
qp <- solve.QP(Dmat = H + 1e-12 * diag(J), dvec = as.numeric(t(X0) %*% diag(v) %*% X1),
               Amat = cbind(rep(1, J), diag(J)), bvec = c(1, rep(0, J)), meq = 1)
wq <- pmax(qp$solution, 0)
sg <- fit(dp, custom.v = v)
lossw <- function(w) as.numeric(t(X1 - X0 %*% w) %*% diag(v) %*% (X1 - X0 %*% w))
write.csv(rbind(
  data.frame(solver = "quadprog", name = names_of(donors), value = wq),
  data.frame(solver = "synth_ipop", name = names_of(donors), value = as.numeric(sg$solution.w)),
  data.frame(solver = c("quadprog", "synth_ipop"), name = "loss_w",
             value = c(lossw(wq), lossw(as.numeric(sg$solution.w))))),
  "expected_given_v.csv", row.names = FALSE)
writeLines(c(R.version.string, paste("Synth", packageVersion("Synth"), "(CRAN source, cran/Synth)"),
             paste("kernlab", packageVersion("kernlab")), paste("optimx", packageVersion("optimx")),
             paste("rgenoud", packageVersion("rgenoud")),
             paste("quadprog", packageVersion("quadprog")),
             paste("platform:", R.version$platform)), "versions.txt")
# Placebos in space: slow (16 more nested fits; over 20 minutes here), so only with PLACEBOS=1.
# Not run for the committed files: expected_placebos.csv is absent.
if (Sys.getenv("PLACEBOS") != "1") quit(save = "no")
pl <- data.frame(unit = "Basque Country (Pais Vasco)", rmspe_pre = r[1], rmspe_post = r[2],
                 ratio = r[2] / r[1], loss_v = as.numeric(s$loss.v))
for (u in donors) {
  dpu <- prep(u, setdiff(donors, u))
  su <- fit(dpu)
  ru <- rmspe(dpu, su$solution.w)
  pl <- rbind(pl, data.frame(unit = names_of(u), rmspe_pre = ru[1], rmspe_post = ru[2],
                             ratio = ru[2] / ru[1], loss_v = as.numeric(su$loss.v)))
}
pl$p_value <- mean(pl$ratio >= pl$ratio[1])
write.csv(pl, "expected_placebos.csv", row.names = FALSE)
