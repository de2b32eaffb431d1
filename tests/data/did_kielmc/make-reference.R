# make-reference.R - reference values for solidata's 2x2 difference-in-differences on Kiel &
# McClain's incinerator house prices (Wooldridge, Introductory Econometrics, Example 13.3).
# OLS by R's lm(); HC1 by sandwich::vcovHC(type = "HC1"). Run from this folder:
#   Rscript make-reference.R   (writes expected.csv and versions.txt)
suppressPackageStartupMessages({ library(sandwich); library(lmtest) })
d <- read.csv("kielmc.csv")
models <- list(
  plain = rprice ~ nearinc * y81,
  age   = rprice ~ nearinc * y81 + age + agesq,
  full  = rprice ~ nearinc * y81 + age + agesq + intst + land + area + rooms + baths)
out <- NULL
for (m in names(models)) {
  f <- lm(models[[m]], data = d)
  for (se in c("classical", "hc1")) {
    V <- if (se == "classical") vcov(f) else vcovHC(f, type = "HC1")
    ct <- coeftest(f, vcov. = V)
    out <- rbind(out, data.frame(model = m, se = se, term = rownames(ct), estimate = ct[, 1],
                                 std_error = ct[, 2], t = ct[, 3], p = ct[, 4], n = nobs(f)))
  }
}
write.csv(out, "expected.csv", row.names = FALSE, quote = TRUE)
options(digits = 17)
writeLines(c(R.version.string, paste("sandwich", packageVersion("sandwich")),
             paste("lmtest", packageVersion("lmtest")),
             paste("platform:", R.version$platform)), "versions.txt")
