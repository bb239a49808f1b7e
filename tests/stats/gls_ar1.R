# The reference for tests/stats/test_gls_r.c: nlme::gls with AR(1) errors
# by REML (gls's default method) on a file of days and values.
# usage: Rscript gls_ar1.R DATA.csv START WASHIN OUT.csv
#   DATA.csv has columns day,y (days ascending, gaps allowed).
# Writes name,value rows: the four coefficients, their standard errors,
# phi and sigma.  With no gaps the fit is gls(y ~ time + level + slope,
# correlation = corAR1()); with gaps corAR1(form = ~ day) puts phi^gap
# between neighbours, as gutskin does.
suppressMessages(library(nlme))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
start <- as.numeric(args[2])
washin <- as.numeric(args[3])
eff <- start + washin
d <- d[d$day < start | d$day >= eff, ]
d$time <- d$day - d$day[1]
d$level <- as.numeric(d$day >= eff)
d$slope <- ifelse(d$day >= eff, d$day - eff, 0)
if (all(diff(d$day) == 1)) {
  fit <- gls(y ~ time + level + slope, data = d, correlation = corAR1())
} else {
  fit <- gls(y ~ time + level + slope, data = d, correlation = corAR1(form = ~ day))
}
phi <- coef(fit$modelStruct$corStruct, unconstrained = FALSE)
out <- data.frame(
  name = c(paste0("coef", 0:3), paste0("se", 0:3), "phi", "sigma"),
  value = c(coef(fit), sqrt(diag(vcov(fit))), phi, fit$sigma))
write.csv(out, args[4], row.names = FALSE)
