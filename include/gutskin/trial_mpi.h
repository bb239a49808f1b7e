/*
 * trial_mpi.h - distributed trials: the patients of one trial spread over
 * the ranks of an Open MPI job and gathered on rank 0 (docs/trials.md,
 * "Distributed runs"; issue 3, items 3 and 4).
 *
 * Every patient has its own random stream (gs_patient_seed) and its own
 * result slot, so any split of the patients gives the same results; rank r
 * runs one contiguous block with OpenMP threads inside (gs_trial_run's
 * first / count), and rank 0 receives the other blocks in patient order.
 * The summary reduced on rank 0 is therefore byte-identical to that of a
 * single process with the same seed.
 *
 * Only src/trial/mpi.c and the command include <mpi.h>; the rest of
 * libgutskin knows nothing of MPI.  MPI errors are fatal (the default
 * handler aborts the job with MPI's own message, which names the rank).
 */
#ifndef GUTSKIN_TRIAL_MPI_H
#define GUTSKIN_TRIAL_MPI_H

#include "gutskin/status.h"
#include "gutskin/trial.h"

/* Patients per message of the gather: bounds the buffers of every rank
 * (numbers and failure sentences of this many patients). */
#define GS_MPI_CHUNK 1024

/* Start MPI (thread level FUNNELED: only the main thread calls MPI, OpenMP
 * threads only compute) and report this process's rank and the number of
 * ranks.  Works under mpirun and alone (an Open MPI singleton: 1 rank).
 * Call once per process, and gs_mpi_stop before exiting. */
gs_status gs_mpi_start(int *rank, int *size, gs_err *err);

/* Finalize MPI when gs_mpi_start started it; otherwise nothing. */
void gs_mpi_stop(void);

/* The block of patients of `rank` among `size` ranks: [*first,
 * *first + *count), the blocks in rank order covering [0, patients) with
 * sizes differing by at most one. */
void gs_mpi_share(long patients, int rank, int size, long *first, long *count);

/* Collective: every rank passes its own outcome in *err (status GS_OK when
 * it succeeded).  Returns GS_OK on every rank when all succeeded;
 * otherwise every rank receives the failure of the lowest failing rank in
 * *err and returns its status.  A failure of a rank other than 0 is
 * prefixed "rank R of K: " so that rank 0, which prints, names it. */
gs_status gs_mpi_agree(gs_err *err);

/* Collective: run this rank's block of t's patients with opts' threads (and
 * opts' progress, which should be NULL except on rank 0; opts' first /
 * count are ignored) and gather every block on rank 0.  On rank 0, *res
 * then holds all patients exactly as gs_trial_run would have left them;
 * on other ranks it holds only their own block (the rest GS_FATE_NOT_RUN).
 * Every rank's trial must have rank 0's shape and seed (patients, seed,
 * days, arms, endpoints, criteria), else every rank fails with GS_ERR_INPUT
 * naming the rank and the difference.  The outcome is agreed
 * (gs_mpi_agree) before the gather, so a failed run on any rank fails on
 * every rank, naming the rank.  Free *res with
 * gs_trial_results_free, also after a failure. */
gs_status gs_trial_run_mpi(const gs_trial *t, const gs_trial_opts *opts,
                           gs_trial_results *res, gs_err *err);

/* ---- packing of per-patient results (the gather's message format) ------ */

/* Doubles per patient in a packed block: fate, arm, included, criterion,
 * t50, t90, then the baselines and values of the n_endpoints endpoints. */
size_t gs_trial_pack_width(size_t n_endpoints);

/* Pack patients [first, first + count) of res: numbers receives count *
 * gs_trial_pack_width doubles; text receives the failure sentences of the
 * FAILED patients among them, in patient order, each ending in '\0' (an
 * empty sentence when the reason was lost to a lack of memory), and
 * *text_len their total length.  text must hold count * (GS_ERR_MSG_MAX +
 * 256) bytes, the longest sentences the run writes; longer ones are cut. */
void gs_trial_pack(const gs_trial_results *res, size_t n_endpoints, long first, long count,
                   double *numbers, char *text, size_t *text_len);

/* Unpack what gs_trial_pack wrote into patients [first, first + count) of
 * res, which must still be GS_FATE_NOT_RUN there.  Checks every field (the
 * fate, the arm against n_arms, the criterion against n_criteria, the
 * sentences against text_len) and fails with GS_ERR_INTERNAL naming the
 * patient on anything malformed; GS_ERR_NOMEM when a sentence cannot be
 * copied. */
gs_status gs_trial_unpack(gs_trial_results *res, size_t n_endpoints, size_t n_arms,
                          size_t n_criteria, long first, long count, const double *numbers,
                          const char *text, size_t text_len, gs_err *err);

#endif
