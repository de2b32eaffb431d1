# make-reference.R - replicate-weight standard errors on the households of Burgenland and
# Vorarlberg in the bundled eusilc data (../poverty_eusilc/eusilc.csv): R survey's Rao-Wu
# rescaling bootstrap (as.svrepdesign(type = "subbootstrap"), 20 replicates, households as PSUs
# within regions as strata), and on that replicate design R convey's svyarpr (the line
# re-estimated in every replicate) and survey's svymean, and survey's withReplicates over laeken's
# gini, qsr and weightedMedian (the EU-SILC estimators; convey's svygini is another estimator);
# independently of solidata. counts.csv holds each household's draw count per replicate (the replicate weight is
# rb050 x count x n_h / (n_h - 1)), so solidata's test rebuilds survey's very replicate weights.
# convey 1.0.1 needs survey >= 4.2-1: both built from the CRAN sources into a private library.
# Run from this folder: R_LIBS=/tmp/Rlib Rscript make-reference.R
suppressPackageStartupMessages({library(survey); library(convey); library(laeken)})
d <- read.csv("../poverty_eusilc/eusilc.csv", stringsAsFactors = FALSE)
d <- d[d$db040 %in% c("Burgenland", "Vorarlberg"), ]
des <- svydesign(ids = ~db030, strata = ~db040, weights = ~rb050, data = d, nest = TRUE)
set.seed(20261128)
rep <- convey_prep(as.svrepdesign(des, type = "subbootstrap", replicates = 20, compress = FALSE))
f <- rep$repweights                      # count x n_h / (n_h - 1), one row per person
nh <- ave(d$db030, d$db040, FUN = function(x) length(unique(x)))
counts <- round(f * (nh - 1) / nh)
stopifnot(isTRUE(all.equal(counts * nh / (nh - 1), unclass(f), check.attributes = FALSE, tolerance = 0)))
hh <- !duplicated(d$db030)
out <- data.frame(db030 = d$db030[hh], db040 = d$db040[hh], counts[hh, ])
names(out)[-(1:2)] <- paste0("r", 1:20)
write.csv(out, "counts.csv", row.names = FALSE, quote = FALSE)
doms <- c("Burgenland", "Vorarlberg")
se_of <- function(x) unname(SE(x))
by <- function(fun) { b <- svyby(~eqIncome, ~db040, rep, fun); b <- b[match(doms, b$db040), ]; unname(SE(b)) }
# laeken's estimators on each replicate, in each domain and overall
lk <- function(fun) sapply(c(doms, "total"), function(dom) {
  sel <- if (dom == "total") rep else subset(rep, db040 == dom)
  unname(SE(withReplicates(sel, function(w, data) fun(data$eqIncome[w > 0], w[w > 0]))))
})
ref <- data.frame(domain = c(doms, "total"),
                  arop_se = c(by(svyarpr), se_of(svyarpr(~eqIncome, rep))),
                  gini_se = lk(function(x, w) gini(x, w)$value / 100),
                  qsr_se = lk(function(x, w) qsr(x, w)$value),
                  median_income_se = lk(function(x, w) weightedMedian(x, w)),
                  mean_income_se = c(by(svymean), se_of(svymean(~eqIncome, rep))))
ref[] <- lapply(ref, function(col) if (is.numeric(col)) sprintf("%.17g", col) else col)
write.csv(ref, "expected.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("survey", packageVersion("survey")),
             paste("convey", packageVersion("convey")), paste("laeken", packageVersion("laeken")), "set.seed(20261128), 20 replicates",
             paste("platform:", R.version$platform)), "versions.txt")
