# make-reference.R - Alkire-Foster M0 on households.csv written out independently from Alkire &
# Foster (2011, J Public Econ 95(7-8)): nested weights (dimensions 1/3, equal within), k = 1/3,
# a person poor when the weighted deprivation score c_i >= k (within 1e-9, so 6/18 counts).
# SEs: survey (each person a PSU, equal weights): svymean of 1[poor] and censored c_i, svyratio
# of censored c_i over 1[poor] for A.  Run from this folder: Rscript make-reference.R
suppressPackageStartupMessages(library(survey))
d <- read.csv("households.csv", stringsAsFactors = FALSE)
dims <- list(health = c("Access.to.health.care", "Child.Mortality"),
             education = c("School.lag", "School.attendance", "Years.of.education"),
             living_standards = c("Access.to.clean.source.of.water", "Access.to.an.improve.sanatation",
                                  "Electricity", "Asset.ownership", "Cooking.Fuel", "Housing.Materials"))
w <- unlist(lapply(dims, function(v) rep(1/3 / length(v), length(v)))); names(w) <- unlist(dims)
g <- as.matrix(d[, names(w)] >= 1) * 1           # all cut-offs: deprived when 1 (values are 0/1)
k <- 1/3
score <- as.vector(g %*% w)
poor <- score >= k - 1e-9
cens <- ifelse(poor, score, 0)
n <- nrow(d); H <- mean(poor); M0 <- mean(cens); A <- if (any(poor)) mean(score[poor]) else 0
unc <- colMeans(g); cen <- colMeans(g * poor)
contrib <- w * cen / M0
des <- svydesign(ids = ~1, weights = ~wt, data = data.frame(poor = as.numeric(poor), cens = cens, wt = 1))
se <- c(H = SE(svymean(~poor, des))[1], M0 = SE(svymean(~cens, des))[1],
        A = sqrt(svyratio(~cens, ~poor, des)$var[1]))
f17 <- function(x) sprintf("%.17g", x)
overall <- data.frame(key = c("n", "q", "H", "A", "M0", "H_se", "A_se", "M0_se", "equal_to_k"),
                      value = f17(c(n, sum(poor), H, A, M0, se["H"], se["A"], se["M0"],
                                    sum(abs(score - k) < 1e-9))))
ind <- data.frame(column = names(w), weight = f17(w), uncensored_headcount = f17(unc),
                  censored_headcount = f17(cen), contribution = f17(contrib))
regs <- sort(unique(d$Region))
grp <- do.call(rbind, lapply(regs, function(r) {
  s <- d$Region == r
  data.frame(group = r, n = sum(s), H = f17(mean(poor[s])),
             A = f17(if (any(poor[s])) mean(score[s & poor]) else 0), M0 = f17(mean(cens[s])),
             contribution = f17(sum(s) / n * mean(cens[s]) / M0))
}))
write.csv(overall, "expected_overall.csv", row.names = FALSE, quote = FALSE)
write.csv(ind, "expected_indicators.csv", row.names = FALSE, quote = FALSE)
write.csv(grp, "expected_groups.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("survey", packageVersion("survey")),
             paste("platform:", R.version$platform)), "versions.txt")
