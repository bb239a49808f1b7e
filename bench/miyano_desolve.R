# bench/miyano_desolve.R - an R deSolve port of the Miyano 2022 atopic
# dermatitis virtual trial, the second reference implementation that
# `gutskin reproduce miyano2022` is benchmarked against (bench/run.sh).
#
# Follows the equations and protocol of data/reference/miyano2022 (Miyano,
# Irvine & Tanaka, Allergy 2022;77:582, doi:10.1111/all.14870), exactly as
# bench/miyano_scipy.py does, in the paper's time unit (weeks):
#   1. each virtual patient draws ln k_n ~ Normal(mu_n, |sigma_n|) for the
#      51 sampled constants (k4 = d8);
#   2. burn-in: 1000 weeks from the paper's initial state with k3 = 0; the
#      end state is the baseline;
#   3. ten arms of 24 weeks from the baseline with k3 on and a 99% block of
#      the arm's target (rIFN-gamma adds 210 to IFN-gamma; tralokinumab
#      blocks IL-13 with a2 = 0.4396);
#   4. EASI = 72 (2 IP + 2 (1 - SB)) / 4 sampled daily; a patient whose EASI
#      reaches 72 at any sample of any arm is excluded (its remaining arms
#      are not run); EASI-75 at week w is the share of included patients
#      whose improvement 100 (EASI_0 - EASI(w)) / EASI_0 exceeds 75.
#
# Solver: deSolve::lsoda (ODEPACK's LSODA: switches between Adams and BDF,
# finite-difference Jacobian), rtol = 1e-6, atol = 1e-9, the tolerances of
# gutskin and of the SciPy port.  The right-hand side is plain R, the way a
# modeller typically writes a deSolve model (no compiled DLL model).
#
# Random draws: R's default Mersenne Twister seeded per patient with
# set.seed(seed * 1000003 + patient); the patients differ from gutskin's
# and SciPy's, so EASI-75 agrees only statistically.
#
# Usage: Rscript bench/miyano_desolve.R [--patients N] [--seed S]
# Prints one JSON document shaped like miyano_scipy.py's on stdout.

suppressPackageStartupMessages(library(deSolve))

args <- commandArgs(trailingOnly = TRUE)
patients <- 100L
seed <- 1L
i <- 1L
while (i <= length(args)) {
    if (args[i] == "--patients" && i < length(args)) {
        patients <- as.integer(args[i + 1L]); i <- i + 2L
    } else if (args[i] == "--seed" && i < length(args)) {
        seed <- as.integer(args[i + 1L]); i <- i + 2L
    } else {
        stop(sprintf("miyano_desolve.R: unknown argument '%s' (usage: --patients N --seed S)",
                     args[i]))
    }
}
if (is.na(patients) || patients < 1L) stop("miyano_desolve.R: --patients must be at least 1")

script_dir <- local({
    f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
    if (length(f) == 1L) dirname(normalizePath(f)) else "bench"
})
data_dir <- file.path(script_dir, "..", "data", "reference", "miyano2022")

read_column <- function(name) {
    v <- scan(file.path(data_dir, name), quiet = TRUE)
    if (length(v) != 51L) stop(sprintf("%s: expected 51 values, found %d", name, length(v)))
    v
}

NAMES <- strsplit(paste("k1 k2 k3 b1 b2 b3 b4 b5 d1 d2 d3 b6 d4 d5 d6 d7 b7 b8 d8 k5 k9 d9",
                        "b9 k6 k10 k7 k8 k11 k12 d10 k13 k14 d11 k15 k16 d12 k17 k18 d13",
                        "k19 k20 d14 k21 k22 d15 k23 k24 d16 k25 k26 d17"), " ")[[1]]
stopifnot(length(NAMES) == 51L)

Y0 <- c(0.5931, 0.4069, 3.1, 8.7, 2.0, 21.0, 38.0, 40.5, 5.4, 3.0, 2.0, 1.5, 4.4, 9.7)
BURN_IN_WEEKS <- 1000
TRIAL_DAYS <- 168
N_WEEKS <- 25L
RTOL <- 1e-6
ATOL <- 1e-9
EXCLUSION_EASI <- 72
A2_TRALOKINUMAB <- 0.4396

# arm: blocked fractions (il4 il13 il17 il22 il31 tslp ox40l), IFN-gamma dose, a2
no_block <- c(il4 = 0, il13 = 0, il17 = 0, il22 = 0, il31 = 0, tslp = 0, ox40l = 0)
arm <- function(name, block = list(), dose = 0, a2 = 1) {
    b <- no_block
    for (n in names(block)) b[[n]] <- block[[n]]
    list(name = name, block = b, dose = dose, a2 = a2)
}
ARMS <- list(
    arm("placebo"),
    arm("dupilumab", list(il4 = 0.99, il13 = 0.99)),
    arm("nemolizumab", list(il31 = 0.99)),
    arm("tezepelumab", list(tslp = 0.99)),
    arm("gbr830", list(ox40l = 0.99)),
    arm("fezakinumab", list(il22 = 0.99)),
    arm("secukinumab", list(il17 = 0.99)),
    arm("rifng", dose = 210),
    arm("tralokinumab", list(il13 = 0.99), a2 = A2_TRALOKINUMAB),
    arm("lebrikizumab", list(il13 = 0.99))
)

# The right-hand side in weeks.  p is a named vector: the 51 constants,
# k4 (= d8), the k3 actually in force, and the arm's factors f4 ... fox and
# IFN-gamma dose.
miyano_rhs <- function(t, y, p) {
    with(as.list(p), {
        sb <- y[1]; ip <- y[2]; th1 <- y[3]; th2 <- y[4]; th17 <- y[5]; th22 <- y[6]
        il4 <- y[7]; il13 <- y[8]; il17 <- y[9]; il22 <- y[10]; il31 <- y[11]
        ifng <- y[12]; tslp <- y[13]; ox40l <- y[14]
        il4e <- f4 * il4; il13e <- f13 * il13; il17e <- f17 * il17; il22e <- f22 * il22
        il31e <- f31 * il31; tslpe <- ftslp * tslp; ox40le <- fox * ox40l
        ifnge <- ifng + ifng_dose
        dsb <- (1 - sb) * (k1 + k2 * il22e + k3_on) /
            ((1 + b1 * il4e) * (1 + b2 * il13e) * (1 + b3 * il17e) * (1 + b4 * il22e) *
             (1 + b5 * il31e)) -
            sb * (d1 * (1 + d3 * ip) + d2 * il31e)
        dip <- k4 / (1 + b6 * sb) -
            ip * ((1 + d4 * ip) * (1 + d5 * il17e) * (1 + d6 * il22e) * (1 + d7 * ifnge) /
                  ((1 + b7 * il4e) * (1 + b8 * il13e)) + d8)
        q <- 4 + k9 * ifnge + k10 * il4e
        r <- d9 / (1 + b9 * ox40le)
        list(c(dsb, dip,
               k5 * ip * (1 + k9 * ifnge) / q - r * th1,
               k6 * ip * (1 + k10 * il4e) / q - r * th2,
               k7 * ip / q - r * th17,
               k8 * ip / q - r * th22,
               k11 * th2 + k12 - d10 * il4,
               k13 * th2 + k14 - d11 * il13,
               k15 * th17 + k16 - d12 * il17,
               k17 * th22 + k18 - d13 * il22,
               k19 * th2 + k20 - d14 * il31,
               k21 * th1 + k22 - d15 * ifng,
               k23 * ip + k24 - d16 * tslp,
               k25 * tslpe + k26 - d17 * ox40l))
    })
}

arm_params <- function(k, k3_on, a) {
    b <- a$block
    c(k, k4 = k[["d8"]], k3_on = if (k3_on) k[["k3"]] else 0,
      f4 = 1 - b[["il4"]], f13 = 1 - b[["il13"]] * a$a2, f17 = 1 - b[["il17"]],
      f22 = 1 - b[["il22"]], f31 = 1 - b[["il31"]], ftslp = 1 - b[["tslp"]],
      fox = 1 - b[["ox40l"]], ifng_dose = a$dose)
}

easi <- function(sb, ip) 72 * (2 * ip + 2 * (1 - sb)) / 4

work <- new.env()
work$nfev <- 0
work$njev <- 0
work$steps <- 0

# lsoda with the benchmark's tolerances; adds its work counters to `work`.
solve <- function(y0, times, p) {
    out <- lsoda(y0, times, miyano_rhs, p, rtol = RTOL, atol = ATOL, maxsteps = 500000)
    st <- attr(out, "istate")
    work$nfev <- work$nfev + st[3]
    work$njev <- work$njev + st[14]  # Jacobians (and LU factorisations)
    work$steps <- work$steps + st[2]
    list(ok = st[1] == 2, code = st[1], out = out)
}

simulate_patient <- function(mu, sigma, patient) {
    set.seed(seed * 1000003 + patient)
    z <- rnorm(51)
    k <- setNames(exp(mu + abs(sigma) * z), NAMES)
    burn <- solve(Y0, c(0, BURN_IN_WEEKS), arm_params(k, FALSE, ARMS[[1]]))
    if (!burn$ok) return(list(fate = "failed",
                              why = sprintf("patient %d, burn-in: lsoda istate %d",
                                            patient, burn$code)))
    base <- as.numeric(burn$out[nrow(burn$out), -1])
    easi0 <- easi(base[1], base[2])
    if (!(easi0 > 0)) return(list(fate = "failed",
                                  why = sprintf("patient %d: baseline EASI %g", patient, easi0)))
    days <- (0:TRIAL_DAYS) / 7
    responders <- matrix(0L, length(ARMS), N_WEEKS)
    for (j in seq_along(ARMS)) {
        s <- solve(base, days, arm_params(k, TRUE, ARMS[[j]]))
        if (!s$ok) return(list(fate = "failed",
                               why = sprintf("patient %d, arm %s: lsoda istate %d",
                                             patient, ARMS[[j]]$name, s$code)))
        e <- easi(s$out[, 2], s$out[, 3])
        if (any(e >= EXCLUSION_EASI)) return(list(fate = "excluded"))
        improvement <- 100 * (easi0 - e[seq(1, TRIAL_DAYS + 1, by = 7)]) / easi0
        responders[j, ] <- as.integer(improvement > 75)
    }
    list(fate = "included", responders = responders)
}

mu <- read_column("mu.csv")
sigma <- read_column("sigma.csv")
start <- proc.time()[["elapsed"]]
counts <- matrix(0, length(ARMS), N_WEEKS)
included <- 0L; excluded <- 0L; failures <- character(0)
for (i in seq_len(patients) - 1L) {
    r <- simulate_patient(mu, sigma, i)
    if (r$fate == "included") {
        included <- included + 1L
        counts <- counts + r$responders
    } else if (r$fate == "excluded") {
        excluded <- excluded + 1L
    } else {
        failures <- c(failures, r$why)
    }
}
seconds <- proc.time()[["elapsed"]] - start
share <- counts / max(included, 1L) * 100

num <- function(x) if (is.na(x)) "null" else format(x, digits = 10)
arr <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")
str <- function(s) paste0('"', gsub('"', '\\\\"', s), '"')
easi75 <- paste(vapply(seq_along(ARMS), function(j)
    sprintf("%s: %s", str(ARMS[[j]]$name),
            if (included > 0) arr(share[j, ]) else arr(rep(NA, N_WEEKS))), ""),
    collapse = ", ")
cat(sprintf(paste0('{"model": "miyano2022", "implementation": "desolve", "patients": %d, ',
                   '"seed": %d, "included": %d, "excluded": %d, "failed": %d, ',
                   '"failures": [%s], "weeks": %s, "easi75": {%s}, ',
                   '"rhs_evals_per_patient": %s, "jacobians_per_patient": %s, ',
                   '"steps_per_patient": %s, ',
                   '"seconds": %s, "seconds_per_patient": %s, ',
                   '"solver": "deSolve::lsoda rtol=%g atol=%g, finite-difference Jacobian", ',
                   '"desolve": "%s", "r": "%s"}\n'),
            patients, seed, included, excluded, length(failures),
            paste(vapply(head(failures, 20), str, ""), collapse = ", "),
            arr(0:(N_WEEKS - 1)), easi75,
            num(work$nfev / patients), num(work$njev / patients),
            num(work$steps / patients),
            num(seconds), num(seconds / patients), RTOL, ATOL,
            as.character(packageVersion("deSolve")), paste(R.version$major, R.version$minor,
                                                            sep = ".")))
