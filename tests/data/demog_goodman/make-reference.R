# make-reference.R - closed one-sex cohort-component projection of Venezuela 1965 (Keyfitz and
# Flieger data as shipped by demogR, `goodman`) with demogR's leslie.matrix and project.leslie.
# Run from this directory with demogR installed privately: R_LIBS=/tmp/Rlib-x Rscript make-reference.R
library(demogR)
data(goodman)
ven <- with(goodman, life.table(x = age, nKx = ven.nKx, nDx = ven.nDx))
mx <- goodman$ven.bx / goodman$ven.nKx
A <- leslie.matrix(lx = ven$nLx, mx = mx)       # SRB 1.05, one sex, infant class merged
k <- nrow(A)
# demogR sets the last fertile class's entry to m_k itself; the textbook entry (Preston,
# Heuveline and Guillot 2001, eq. 6.5; Keyfitz) is L0/l0 * m_k / 2, as the other entries
# (survivors to the next class have m = 0). We use the textbook entry.
L0 <- ven$nLx[1] + ven$nLx[2]
mk <- mx[-2][k]
A[1, k] <- L0 * mk / 2 / (1 + 1.05)
# inputs: five-year groups 0-4 (0 and 1-4 merged), 5, ..., 85+ (open)
ages <- c(0, goodman$age[-(1:2)])
pop <- c(goodman$ven.nKx[1] + goodman$ven.nKx[2], goodman$ven.nKx[-(1:2)])
L <- c(L0, ven$nLx[-(1:2)])
fert <- c(0, mx[-(1:2)])
lab <- ifelse(seq_along(ages) == length(ages), paste0(ages, "+"), as.character(ages))
write.csv(data.frame(age = lab, population = pop, Lx = sprintf("%.17g", L), lx = c(ven$lx[1], rep("", length(ages) - 1)),
                     fertility = sprintf("%.17g", fert)), "input.csv", row.names = FALSE, quote = FALSE)
N <- project.leslie(A, pop[1:k], tmax = 6)       # 6 steps of 5 years
out <- data.frame(step = rep(0:6, each = k), age = rep(ages[1:k], 7), population = sprintf("%.17g", as.vector(N)))
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE)
