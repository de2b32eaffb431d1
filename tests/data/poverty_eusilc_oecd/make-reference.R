# make-reference.R - the modified OECD scale from person ages (R laeken eqSS) on laeken's eusilc,
# and laeken's whole-population ARPT, ARPR, Gini, S80/S20 and median of the income equivalised
# with it, independently of solidata. Household income is eqIncome x eqSS, written on every member
# row (hinc) and on the first member row only, 0 on the others (pinc, for --hh-income sum).
# Run from this folder: Rscript make-reference.R  (writes persons.csv, expected.csv, versions.txt)
suppressPackageStartupMessages(library(laeken))
d <- read.csv("../poverty_eusilc/eusilc.csv", stringsAsFactors = FALSE)
s <- eqSS("db030", "age", data = d)
stopifnot(isTRUE(all.equal(s, d$eqSS, tolerance = 1e-14)))
hinc <- d$eqIncome * d$eqSS
first <- !duplicated(d$db030)
p <- data.frame(db030 = d$db030, age = d$age, hsize = d$hsize, db040 = d$db040, rb050 = sprintf("%.17g", d$rb050),
                hinc = sprintf("%.17g", hinc), pinc = sprintf("%.17g", ifelse(first, hinc, 0)))
write.csv(p, "persons.csv", row.names = FALSE, quote = FALSE)
x <- hinc / s; w <- d$rb050
e <- data.frame(median_income = weightedMedian(x, w), poverty_line = arpt(x, w),
                arop = arpr(x, w)$value / 100, gini = gini(x, w)$value / 100, qsr = qsr(x, w)$value,
                min_scale = min(s), max_scale = max(s))
write.csv(format(e, digits = 17), "expected.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("laeken", packageVersion("laeken"))), "versions.txt")
