# bench/stats/triggers.R - the trigger scan of src/stats/triggers.c in R,
# for timing side by side (bench/stats/run.sh): the same tests on the same
# data with the same shifts.
#
# usage: Rscript triggers.R DIR
# Reads DIR/exposures.csv (days x exposures, 0/1/NA), DIR/outcomes.csv
# (days x outcomes, NA when missing) and DIR/shifts.csv; writes
# DIR/r_rows.csv and prints one JSON line with the time of the scan.
#
# The method, as in C: for outcome y, exposure x and lag L, OLS of y_t on
# x_{t-L} and y_{t-1} over complete days; p from circular shifts s of the
# exposure (day t paired with exposure day (t - L + s) mod T, days t < L
# left out): the share of shifts with |t| at least the observed one, or,
# with fewer than 10 such, a Student t tail fitted to the statistic at
# every shift 7..T-7 (mean, sd, effective df from the lag-one correlation);
# Benjamini-Hochberg over all tests; at least 10 days with and 10 without.
#
# Idiomatic vectorised R: for each exposure and lag, the exposure at every
# shift is one T x T matrix (an index matrix gathers it), and the ten sums
# the regression needs, at every shift and for every outcome at once, are
# one matrix product; the t statistics of all shifts follow elementwise.
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
X <- as.matrix(read.csv(file.path(dir, "exposures.csv")))
Y <- as.matrix(read.csv(file.path(dir, "outcomes.csv"), check.names = FALSE))
shifts <- read.csv(file.path(dir, "shifts.csv"))$shift
n_days <- nrow(X)
lags <- 0:3
min_days <- 10
tail_count <- 10

start <- proc.time()

# Outcome side: per outcome the complete-day mask and the centred y, l.
side <- lapply(seq_len(ncol(Y)), function(o) {
  y <- Y[, o]
  ok <- c(FALSE, !is.na(y[-1]) & !is.na(y[-n_days]))
  yc <- ifelse(ok, y - mean(y[ok]), 0)
  lc <- ifelse(ok, c(0, y[-n_days]) - mean(y[ok]), 0)
  cbind(M = as.numeric(ok), Y = yc, L = lc, YY = yc^2, LL = lc^2, YL = yc * lc)
})

# t statistic of the exposure at every shift, from the sums (rows of S)
ols_t <- function(n, sx, sxx, sy, sl, syy, sll, syl, sxy, sxl) {
  cxx <- sxx - sx^2 / n; cxl <- sxl - sx * sl / n; cll <- sll - sl^2 / n
  cxy <- sxy - sx * sy / n; cly <- syl - sl * sy / n; cyy <- syy - sy^2 / n
  use <- cll > 1e-9 * (1 + abs(sll))
  pxx <- ifelse(use, cxx - cxl^2 / cll, cxx)
  pxy <- ifelse(use, cxy - cxl * cly / cll, cxy)
  pyy <- ifelse(use, cyy - cly^2 / cll, cyy)
  ok <- n >= 4.5 & pxx > 1e-9 * (1 + abs(cxx))
  rss <- pmax(pyy - pxy^2 / pxx, 1e-12 * (1 + abs(cyy)))
  b <- pxy / pxx
  se <- sqrt(rss / (n - 3) / pxx)
  list(b = b, se = se, t = ifelse(ok, b / se, NA), ok = ok)
}

tail_p <- function(tobs, ts) {
  v <- !is.na(ts)
  n <- sum(v)
  if (n < 20) return(NA)
  tv <- ts[v]
  m <- mean(tv)
  s2 <- var(tv)
  if (!(s2 > 0)) return(NA)
  adj <- v[-1] & v[-length(v)]
  cross <- sum((ts[-length(ts)] * ts[-1])[adj])
  ac <- (cross - m * (2 * sum(tv) - tv[1] - tv[n]) + (n - 1) * m^2) / ((n - 1) * s2)
  ac <- min(max(ac, 0), 0.95)
  df <- n * (1 - ac) / (1 + ac) - 1
  if (df < 2) return(NA)
  2 * pt(abs(tobs - m) / sqrt(s2), df, lower.tail = FALSE)
}

# index of the exposure day for outcome day t (rows) at shift s (columns,
# s = 0..T-1), per lag
shift_index <- lapply(lags, function(L) {
  outer(seq_len(n_days) - 1, 0:(n_days - 1), function(t, s) (t - L + s) %% n_days + 1)
})
A_all <- do.call(cbind, side)            # T x (6 * outcomes)
k <- ncol(A_all) / ncol(Y)
in_order <- 7:(n_days - 7)               # shifts for the tail fit

rows <- list()
for (e in seq_len(ncol(X))) {
  x <- X[, e]
  if (!any(x == 1, na.rm = TRUE)) next
  for (li in seq_along(lags)) {
    L <- lags[li]
    xs <- matrix(x[shift_index[[li]]], n_days, n_days)
    if (L > 0) xs[seq_len(L), ] <- NA    # no exposure day before the journal
    mx <- !is.na(xs)
    x0 <- ifelse(mx, xs, 0)
    SM <- crossprod(A_all, mx)           # (6 * outcomes) x shifts
    SX <- crossprod(A_all, x0)
    SXX <- crossprod(A_all[, seq(1, ncol(A_all), by = k)], x0^2)
    for (o in seq_len(ncol(Y))) {
      r0 <- (o - 1) * k
      st <- ols_t(SM[r0 + 1, ], SX[r0 + 1, ], SXX[o, ], SM[r0 + 2, ], SM[r0 + 3, ],
                  SM[r0 + 4, ], SM[r0 + 5, ], SM[r0 + 6, ], SX[r0 + 2, ], SX[r0 + 3, ])
      n <- round(SM[r0 + 1, 1]); ne <- round(SX[r0 + 1, 1])
      row <- data.frame(tag = colnames(X)[e], outcome = colnames(Y)[o], lag = L,
                        tested = 0L, effect = NA, low = NA, high = NA, p = NA)
      if (ne >= min_days && n - ne >= min_days && st$ok[1]) {
        tobs <- st$t[1]
        ts <- st$t[shifts + 1]
        extreme <- sum(!is.na(ts) & abs(ts) >= abs(tobs) * (1 - 1e-9))
        p <- (extreme + 1) / (length(shifts) + 1)
        if (extreme < tail_count) {
          tp <- tail_p(tobs, st$t[in_order + 1])
          if (!is.na(tp)) p <- tp
        }
        q975 <- qt(0.975, n - 3)
        row$tested <- 1L
        row$effect <- st$b[1]
        row$low <- st$b[1] - q975 * st$se[1]
        row$high <- st$b[1] + q975 * st$se[1]
        row$p <- p
      }
      rows[[length(rows) + 1]] <- row
    }
  }
}
res <- do.call(rbind, rows)
res$q <- NA
res$q[res$tested == 1] <- p.adjust(res$p[res$tested == 1], "BH")
elapsed <- (proc.time() - start)[["elapsed"]]
cpu <- sum((proc.time() - start)[c("user.self", "sys.self")])
write.csv(res, file.path(dir, "r_rows.csv"), row.names = FALSE)
cat(sprintf('{"tests": %d, "wall_s": %.3f, "cpu_s": %.3f, "discoveries": %d}\n',
            sum(res$tested), elapsed, cpu, sum(res$q < 0.1, na.rm = TRUE)))
