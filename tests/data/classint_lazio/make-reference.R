# make-reference.R - expected class breaks and class counts from R classInt for the Lazio 2021
# income indicators. Run from this folder: Rscript make-reference.R
# Writes expected_breaks.csv, expected_counts.csv and versions.txt. Never edit those by hand.
suppressPackageStartupMessages(library(classInt))
d <- read.csv("lazio_irpef_2021.csv", colClasses = c(istat_code = "character"))
vars <- c("pct_income_0_10k", "mean_taxable_income_eur", "pct_self_employed")
styles <- c("quantile", "equal", "jenks", "sd")
ks <- c(3L, 5L, 7L)
brk <- data.frame()
cnt <- data.frame()
for (v in vars) for (s in styles) for (k in ks) {
    x <- d[[v]] # NA = suppressed at source; classIntervals omits them (with a warning)
    ci <- suppressWarnings(classIntervals(x, n = k, style = s))
    b <- ci$brks
    brk <- rbind(brk, data.frame(var = v, style = s, k = k, i = seq_along(b) - 1L,
                                 brk = sprintf("%.17g", b)))
    cls <- findCols(ci) # class of each value, NA for missing
    tab <- tabulate(cls[!is.na(x)], nbins = length(b) - 1L)
    cnt <- rbind(cnt, data.frame(var = v, style = s, k = k, class = seq_along(tab),
                                 count = tab, closure = attr(ci, "intervalClosure")))
}
write.csv(brk, "expected_breaks.csv", row.names = FALSE, quote = FALSE)
write.csv(cnt, "expected_counts.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("classInt", packageVersion("classInt")), "",
             capture.output(sessionInfo())), "versions.txt")
