# make-reference.R - the ARPR's standard error with the variance of the estimated line (convey's
# svyarpr) on a design whose strata hold a single PSU, with survey.lonely.psu = "adjust": since
# survey 4.2 such a PSU is centred at the mean PSU total of the whole design (onestage's
# "recentering"), which is not 0 for the ARPR's linearised variable. The design has few PSUs
# (strata = age, PSUs = sex within age, persons as the ultimate units), so the centring moves the
# SE well beyond the test tolerance. Data: ../poverty_eusilc/eusilc.csv (laeken's eusilc).
# survey 4.5 and convey 1.0.1 are newer than Debian's: both were built from the CRAN sources into
# a private library (R CMD INSTALL -l /tmp/Rlib survey convey).
# Run from this folder: R_LIBS=/tmp/Rlib Rscript make-reference.R
suppressPackageStartupMessages({library(survey); library(convey)})
d <- read.csv("../poverty_eusilc/eusilc.csv", stringsAsFactors = FALSE)
doms <- sort(unique(d$db040))
options(survey.lonely.psu = "adjust")
des <- convey_prep(svydesign(ids = ~rb090, strata = ~age, weights = ~rb050, data = d, nest = TRUE))
lonely <- sum(tapply(d$rb090, d$age, function(s) length(unique(s))) == 1)
tot <- svyarpr(~eqIncome, des)
by <- svyby(~eqIncome, ~db040, des, svyarpr)
by <- by[match(doms, by$db040), ]
g17 <- function(x) sprintf("%.17g", x)
out <- data.frame(domain = c(doms, "total"), arop = g17(unname(c(by$eqIncome, coef(tot)))),
                  arop_se = g17(unname(c(SE(by), SE(tot)))), row.names = NULL)
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("survey", packageVersion("survey")),
             paste("convey", packageVersion("convey")), paste("lonely strata:", lonely)),
           "versions.txt")
