# make-reference.R - reference values for solidata's 2x2 difference-in-differences on Meyer, Viscusi
# & Durbin's Kentucky workers' compensation data (Wooldridge, Example 13.4): log weeks on benefits,
# high earners (treated) before/after the 1980 benefit cap rise (post). lm(); HC1 by sandwich.
#   Rscript make-reference.R   (writes expected.csv and versions.txt)
suppressPackageStartupMessages({ library(sandwich); library(lmtest) })
d <- read.csv("injury_ky.csv")
f <- lm(ldurat ~ highearn * afchnge, data = d)
out <- NULL
for (se in c("classical", "hc1")) {
  V <- if (se == "classical") vcov(f) else vcovHC(f, type = "HC1")
  ct <- coeftest(f, vcov. = V)
  out <- rbind(out, data.frame(model = "plain", se = se, term = rownames(ct), estimate = ct[, 1],
                               std_error = ct[, 2], t = ct[, 3], p = ct[, 4], n = nobs(f)))
}
write.csv(out, "expected.csv", row.names = FALSE, quote = TRUE)
writeLines(c(R.version.string, paste("sandwich", packageVersion("sandwich")),
             paste("lmtest", packageVersion("lmtest")),
             paste("platform:", R.version$platform)), "versions.txt")
