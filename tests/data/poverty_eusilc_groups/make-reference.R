# make-reference.R - expected poverty estimates by region x sex and by sex on the bundled eusilc
# data (../poverty_eusilc/eusilc.csv), computed by R laeken (point estimates, the poverty line of
# the whole population), R survey (linearised SEs of FGT(1), FGT(2) and the ARPR with the line
# fixed; households as PSUs within regions as strata) and R convey (the ARPR's SE with the line's
# own variance), independently of solidata. convey 1.0.1 needs survey >= 4.2-1: both built from
# the CRAN sources into a private library (see ../poverty_convey/make-reference.R).
# Run from this folder: R_LIBS=/tmp/Rlib Rscript make-reference.R
suppressPackageStartupMessages({library(laeken); library(survey); library(convey)})
d <- read.csv("../poverty_eusilc/eusilc.csv", stringsAsFactors = FALSE)
inc <- d$eqIncome; w <- d$rb050
t <- arpt(inc, w)
d$poor <- as.numeric(inc < t)
d$g1 <- ifelse(inc < t, (t - inc) / t, 0)
d$g2 <- d$g1^2
pt <- function(sel, dom, grp) {
  x <- inc[sel]; ww <- w[sel]
  data.frame(domain = dom, group = grp, n = sum(sel), weighted_n = sum(ww),
             median_income = weightedMedian(x, ww), poverty_line = t,
             arop = arpr(x, ww, threshold = t)$value / 100,
             fgt1 = sum(ww * d$g1[sel]) / sum(ww), fgt2 = sum(ww * d$g2[sel]) / sum(ww),
             rmpg = laeken:::relativeGap(x, ww, threshold = t) / 100,
             gini = gini(x, ww)$value / 100, qsr = qsr(x, ww)$value)
}
cells <- unique(d[, c("db040", "rb090")])
cells <- cells[order(cells$db040, cells$rb090), ]
point <- rbind(
  do.call(rbind, lapply(seq_len(nrow(cells)), function(k)
    pt(d$db040 == cells$db040[k] & d$rb090 == cells$rb090[k], cells$db040[k], cells$rb090[k]))),
  do.call(rbind, lapply(sort(unique(d$rb090)), function(s) pt(d$rb090 == s, "total", s))))
# laeken's own breakdown agrees with the subsets above (cells as one breakdown variable)
d$cell <- paste(d$db040, d$rb090, sep = "|")
lk <- arpr("eqIncome", "rb050", breakdown = "cell", data = d)$valueByStratum
stopifnot(isTRUE(all.equal(lk$value[match(paste(point$domain, point$group, sep = "|")[1:nrow(cells)], lk$stratum)] / 100,
                           point$arop[1:nrow(cells)], tolerance = 1e-14)))
options(survey.lonely.psu = "adjust")
des <- svydesign(ids = ~db030, strata = ~db040, weights = ~rb050, data = d, nest = TRUE)
byc <- svyby(~poor + g1 + g2, ~db040 + rb090, des, svymean, covmat = FALSE)
bys <- svyby(~poor + g1 + g2, ~rb090, des, svymean, covmat = FALSE)
# svyby orders its rows with the first variable varying fastest: match them to the cells by key
sc <- as.matrix(SE(byc))[match(paste(cells$db040, cells$rb090), paste(byc$db040, byc$rb090)), ]
ss <- as.matrix(SE(bys))[match(sort(unique(d$rb090)), bys$rb090), ]
se <- rbind(sc, ss)
# the ARPR's SE with the estimated line's variance (convey: the domains take the whole design's line)
cdes <- convey_prep(des)
cc <- svyby(~eqIncome, ~db040 + rb090, cdes, svyarpr)
cs <- svyby(~eqIncome, ~rb090, cdes, svyarpr)
arop_se <- c(SE(cc)[match(paste(cells$db040, cells$rb090), paste(cc$db040, cc$rb090))],
             SE(cs)[match(sort(unique(d$rb090)), cs$rb090)])
out <- data.frame(point, arop_se = unname(arop_se), arop_se_fixed_line = se[, 1],
                  fgt1_se = se[, 2], fgt2_se = se[, 3], row.names = NULL)
out[] <- lapply(out, function(col) if (is.numeric(col)) sprintf("%.17g", col) else col)
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("laeken", packageVersion("laeken")),
             paste("survey", packageVersion("survey")), paste("convey", packageVersion("convey")),
             paste("BLAS:", extSoftVersion()[["BLAS"]]), paste("platform:", R.version$platform)),
           "versions.txt")
