# make-reference.R - reference values for solidata's two-way fixed-effects DiD and event study on
# Holzer et al.'s Michigan job-training grants (Wooldridge, Example 14.1; jtrain.csv as R's
# wooldridge 1.4-4 ships it). Design kept simple and common-timing: firms first granted in 1989
# are treated (tr = 1), firms granted in 1988 are dropped, never-granted firms are controls;
# post = 1989. Outcome: log scrap rate (missing for most firms: rows dropped, as lm does).
#   static:  lscrap ~ tr:post + firm FE + year FE               (lm with factor dummies)
#   event:   lscrap ~ tr*1[1987] + tr*1[1989] + firm FE + year FE  (1988 = reference period)
# SE: classical (vcov), HC1 (sandwich::vcovHC, lm with all dummies, so K counts them) and
# clustered by firm with Stata's xtreg, fe small-sample factor: sandwich::vcovCL(type = "HC0",
# cadjust = TRUE) gives G/(G-1) * meat; times (N-1)/(N-K) with K = the regressors other than the
# absorbed firm effects plus the constant (Stata [XT] xtreg, Methods and formulas; e.g. regress
# with i.id counts K = 12 where xtreg, fe counts K = 3 for two regressors, amarder.github.io).
# Parallel-trends pre-test: Wald F on the leads with the clustered vcov, F(q, G-1).
#   Rscript make-reference.R   (writes jtrain_g89.csv, expected.csv, versions.txt)
suppressPackageStartupMessages(library(sandwich))
d <- read.csv("jtrain.csv")
g88 <- unique(d$fcode[d$year == 1988 & d$grant == 1])
g89 <- unique(d$fcode[d$year == 1989 & d$grant == 1])
d <- d[!(d$fcode %in% g88), ]
d$tr <- as.integer(d$fcode %in% g89)
d$post <- as.integer(d$year == 1989)
write.csv(d[, c("fcode", "year", "tr", "post", "lscrap")], "jtrain_g89.csv", row.names = FALSE,
          na = "NA", quote = FALSE)
d <- d[!is.na(d$lscrap), ]
d$D <- d$tr * d$post
d$lead2 <- d$tr * (d$year == 1987)
d$lag0 <- d$tr * (d$year == 1989)
out <- NULL
fit_all <- function(model, f, terms) {
  N <- nobs(f); G <- length(unique(d$fcode))
  # K as xtreg, fe counts it: the regressors besides the absorbed firm effects, plus the constant
  # (lm's coefficients are 1 + (G-1) firm dummies + the rest, so the rest + 1 = length - G + 1)
  kw <- length(coef(f)) - G + 1
  Vs <- list(classical = vcov(f), hc1 = vcovHC(f, type = "HC1"),
             cluster = vcovCL(f, cluster = ~fcode, type = "HC0", cadjust = TRUE) *
                       (N - 1) / (N - kw))
  for (se in names(Vs)) {
    V <- Vs[[se]]
    b <- coef(f)[terms]; s <- sqrt(diag(V)[terms])
    df <- if (se == "cluster") G - 1 else f$df.residual
    out <<- rbind(out, data.frame(model = model, se = se, term = terms, estimate = b,
                                  std_error = s, t = b / s, p = 2 * pt(-abs(b / s), df), n = N,
                                  df = df))
  }
  Vs
}
f1 <- lm(lscrap ~ D + factor(fcode) + factor(year), data = d)
invisible(fit_all("static", f1, "D"))
f2 <- lm(lscrap ~ lead2 + lag0 + factor(fcode) + factor(year), data = d)
Vs <- fit_all("event", f2, c("lead2", "lag0"))
G <- length(unique(d$fcode))
pt_F <- coef(f2)["lead2"]^2 / Vs$cluster["lead2", "lead2"]
out <- rbind(out, data.frame(model = "pretest", se = "cluster", term = "F", estimate = pt_F,
                             std_error = NA, t = NA, p = pf(pt_F, 1, G - 1, lower.tail = FALSE),
                             n = nobs(f2), df = G - 1))
write.csv(out, "expected.csv", row.names = FALSE, quote = TRUE)
writeLines(c(R.version.string, paste("sandwich", packageVersion("sandwich")),
             paste("platform:", R.version$platform)), "versions.txt")
