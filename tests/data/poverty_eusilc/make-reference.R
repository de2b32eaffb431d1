# make-reference.R - expected direct poverty estimates for eusilc.csv, computed by R laeken (point
# estimates) and R survey (linearised standard errors), independently of solidata.
# Run from this folder: Rscript make-reference.R  (writes expected.csv and versions.txt)
suppressPackageStartupMessages({library(laeken); library(survey)})
d <- read.csv("eusilc.csv", stringsAsFactors = FALSE)
inc <- d$eqIncome; w <- d$rb050
t <- arpt(inc, w)                       # 0.6 * weighted median of the whole population
d$poor <- as.numeric(inc < t)
d$g1 <- ifelse(inc < t, (t - inc) / t, 0)   # FGT(1) contribution (Foster, Greer & Thorbecke 1984)
d$g2 <- d$g1^2                              # FGT(2)
doms <- sort(unique(d$db040))
pt <- function(sel, dom) {
  x <- inc[sel]; ww <- w[sel]
  a <- arpr(x, ww, threshold = t)$value / 100  # laeken weightedRate with the whole-population line
  data.frame(domain = dom, n = sum(sel), weighted_n = sum(ww),
             median_income = weightedMedian(x, ww), poverty_line = t,
             arop = a,
             fgt1 = sum(ww * d$g1[sel]) / sum(ww), fgt2 = sum(ww * d$g2[sel]) / sum(ww),
             rmpg = laeken:::relativeGap(x, ww, threshold = t) / 100,
             gini = gini(x, ww)$value / 100, qsr = qsr(x, ww)$value,
             mean_income = sum(ww * x) / sum(ww))
}
point <- do.call(rbind, c(lapply(doms, function(r) pt(d$db040 == r, r)),
                          list(pt(rep(TRUE, nrow(d)), "total"))))
# laeken's own breakdown results must agree with the subsets above
stopifnot(isTRUE(all.equal(arpr("eqIncome", "rb050", breakdown = "db040", data = d)$valueByStratum$value / 100,
                           point$arop[1:length(doms)], tolerance = 1e-14)))
stopifnot(isTRUE(all.equal(gini("eqIncome", "rb050", breakdown = "db040", data = d)$valueByStratum$value / 100,
                           point$gini[1:length(doms)], tolerance = 1e-14)))
stopifnot(isTRUE(all.equal(qsr("eqIncome", "rb050", breakdown = "db040", data = d)$valueByStratum$value,
                           point$qsr[1:length(doms)], tolerance = 1e-14)))
stopifnot(isTRUE(all.equal(rmpg("eqIncome", "rb050", breakdown = "db040", data = d)$valueByStratum$value / 100,
                           point$rmpg[1:length(doms)], tolerance = 1e-14)))
ses <- function(des, name) {
  by <- svyby(~poor + g1 + g2 + eqIncome, ~db040, des, svymean, covmat = FALSE)
  tot <- svymean(~poor + g1 + g2 + eqIncome, des)
  se <- rbind(as.matrix(SE(by)), SE(tot))
  data.frame(design = name, point, arop_se = se[, 1], fgt1_se = se[, 2], fgt2_se = se[, 3],
             mean_income_se = se[, 4], row.names = NULL)
}
options(survey.lonely.psu = "adjust")
out <- rbind(
  # households (db030) as PSUs within regions (db040) as strata
  ses(svydesign(ids = ~db030, strata = ~db040, weights = ~rb050, data = d, nest = TRUE), "strata_psu"),
  # every person its own PSU, one stratum
  ses(svydesign(ids = ~1, weights = ~rb050, data = d), "none"),
  # strata by age: many strata hold a single household (lonely PSUs, 'adjust')
  ses(svydesign(ids = ~db030, strata = ~age, weights = ~rb050, data = d, nest = TRUE), "age_lonely_adjust"))
options(survey.lonely.psu = "remove")
out <- rbind(out, ses(svydesign(ids = ~db030, strata = ~age, weights = ~rb050, data = d, nest = TRUE),
                      "age_lonely_remove"))
out[] <- lapply(out, function(col) if (is.numeric(col)) sprintf("%.17g", col) else col)
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("laeken", packageVersion("laeken")),
             paste("survey", packageVersion("survey")),
             paste("BLAS:", extSoftVersion()[["BLAS"]]), paste("platform:", R.version$platform)),
           "versions.txt")
