# make-reference.R - standard errors of the at-risk-of-poverty rate that include the variance of
# the estimated poverty line (60% of the weighted median), by R convey's svyarpr (Deville 1999,
# Osier 2009), on the bundled eusilc data (../poverty_eusilc/eusilc.csv), independently of
# solidata. convey 1.0.1 needs survey >= 4.2-1, newer than Debian's: both were built from the CRAN
# sources into a private library (R CMD INSTALL -l /tmp/Rlib survey convey).
# Run from this folder: R_LIBS=/tmp/Rlib Rscript make-reference.R
suppressPackageStartupMessages({library(survey); library(convey)})
d <- read.csv("../poverty_eusilc/eusilc.csv", stringsAsFactors = FALSE)
doms <- sort(unique(d$db040))
national <- function(des, name) {
  des <- convey_prep(des)
  tot <- svyarpr(~eqIncome, des)
  by <- svyby(~eqIncome, ~db040, des, svyarpr)
  by <- by[match(doms, by$db040), ]
  data.frame(design = name, line = "national", domain = c(doms, "total"),
             arop = unname(c(by$eqIncome, coef(tot))), arop_se = unname(c(SE(by), SE(tot))),
             row.names = NULL)
}
options(survey.lonely.psu = "adjust")
out <- rbind(
  national(svydesign(ids = ~db030, strata = ~db040, weights = ~rb050, data = d, nest = TRUE), "strata_psu"),
  national(svydesign(ids = ~1, weights = ~rb050, data = d), "none"),
  national(svydesign(ids = ~db030, strata = ~age, weights = ~rb050, data = d, nest = TRUE), "age_lonely_adjust"))
options(survey.lonely.psu = "remove")
out <- rbind(out, national(svydesign(ids = ~db030, strata = ~age, weights = ~rb050, data = d, nest = TRUE),
                           "age_lonely_remove"))
options(survey.lonely.psu = "adjust")
# a line of each region's own (--line-by-domain): with the regions as strata, a region's own
# design is its domain of the whole design
for (r in doms) {
  x <- svyarpr(~eqIncome, convey_prep(svydesign(ids = ~db030, strata = ~db040, weights = ~rb050,
                                                 data = d[d$db040 == r, ], nest = TRUE)))
  out <- rbind(out, data.frame(design = "strata_psu", line = "domain", domain = r,
                               arop = unname(coef(x)), arop_se = unname(SE(x)), row.names = NULL))
}
out[] <- lapply(out, function(col) if (is.numeric(col)) sprintf("%.17g", col) else col)
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("convey", packageVersion("convey")),
             paste("survey", packageVersion("survey")),
             paste("platform:", R.version$platform)), "versions.txt")
