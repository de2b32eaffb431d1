# make-reference.R - household income from its components on R laeken's synthetic EU-SILC data
# (data(eusilc), the households of Burgenland and Vorarlberg): writes persons.csv (the personal
# components py*, empty for children as in EU-SILC; the household components hy* on every member
# row) and expected.csv, the whole-sample and regional estimates of laeken 0.5 on the income that
# laeken's eqInc builds (members' personal components summed, household components added once,
# minus hy130n and hy145n; modified OECD scale eqSS from the members' ages).
# Run from this folder: Rscript make-reference.R
suppressPackageStartupMessages(library(laeken))
data(eusilc)
d <- eusilc[eusilc$db040 %in% c("Burgenland", "Vorarlberg"), ]
hplus <- c("hy040n", "hy050n", "hy070n", "hy080n", "hy090n", "hy110n")
hminus <- c("hy130n", "hy145n")
pplus <- c("py010n", "py050n", "py090n", "py100n", "py110n", "py120n", "py130n", "py140n")
d$eqSS2 <- eqSS("db030", "age", data = d)
stopifnot(isTRUE(all.equal(d$eqSS2, d$eqSS)))
inc <- as.vector(eqInc("db030", hplus, hminus, pplus, character(), "eqSS2", data = d))
w <- d$rb050
t <- arpt(inc, w)
row <- function(sel, dom) data.frame(domain = dom, n = sum(sel), median_income = weightedMedian(inc[sel], w[sel]),
  poverty_line = t, arop = arpr(inc[sel], w[sel], threshold = t)$value / 100,
  gini = gini(inc[sel], w[sel])$value / 100, qsr = qsr(inc[sel], w[sel])$value)
out <- rbind(row(d$db040 == "Burgenland", "Burgenland"), row(d$db040 == "Vorarlberg", "Vorarlberg"),
             row(rep(TRUE, nrow(d)), "total"))
out[] <- lapply(out, function(col) if (is.numeric(col)) sprintf("%.17g", col) else col)
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE)
p <- d[, c("db030", "db040", "age", "rb050", pplus, hplus, hminus)]
p[] <- lapply(p, function(col) if (is.numeric(col)) ifelse(is.na(col), "", sprintf("%.17g", col)) else col)
write.csv(p, "persons.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("laeken", packageVersion("laeken")),
             paste("platform:", R.version$platform)), "versions.txt")
