/*
 * mpi.c - distributed trials over Open MPI: each rank runs one contiguous
 * block of the patients (OpenMP threads inside, run.c), and rank 0 gathers
 * the blocks in patient order, so that the summary is byte-identical to a
 * single process's (issue 3, items 3 and 4; docs/trials.md, "Distributed
 * runs").  No paper: this is the engineering of the run, not the model.
 *
 * Why any split gives the same bytes: patient i's random stream is seeded
 * by a hash of (seed, i) (gs_patient_seed), its arm is i mod n_arms, and
 * its result goes to slot i; a rank computes exactly what one process
 * would for the same patients.  Doubles travel as MPI_DOUBLE, bit for bit
 * (NaN included), and the summary is reduced on rank 0 in patient order.
 *
 * The gather is point-to-point in chunks of GS_MPI_CHUNK patients, rank 1
 * first: per chunk one message of numbers (gs_trial_pack) and one of the
 * failure sentences.  Chunks bound every buffer (no rank needs a second
 * copy of its results) and keep every MPI count far below INT_MAX however
 * many patients a trial has.  Buffers are allocated and the outcome of
 * every rank's run is agreed before the first message, so a rank that
 * failed makes every rank stop instead of leaving rank 0 waiting.
 *
 * MPI errors are not expected (they mean a broken job); mpi_must reports
 * them with the rank and aborts the whole job.
 */
#include "gutskin/trial_mpi.h"

#include <assert.h>
#include <math.h>
#include <mpi.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG_NUMBERS 1
#define TAG_TEXT 2
/* The longest failure sentence run.c writes, with its '\0'. */
#define TEXT_MAX ((size_t)GS_ERR_MSG_MAX + 256)
/* The fixed numbers of a patient before its endpoints. */
#define PACK_HEAD 6

/* A new field of gs_patient_result must travel too: this fails to compile
 * until gs_trial_pack and gs_trial_unpack (and this sum) are extended. */
_Static_assert(sizeof(gs_patient_result) ==
                   sizeof(gs_fate) + 3 * sizeof(int) + 2 * sizeof(double *) +
                       2 * sizeof(double) + sizeof(char *),
               "gs_patient_result has changed: pack its new fields in mpi.c");

static int mpi_started;  /* gs_mpi_start called MPI_Init_thread */

/* Abort the whole job on an MPI failure, naming the call and the rank. */
static void mpi_must(int rc, const char *call)
{
    if (rc == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int len = 0, rank = -1;
    if (MPI_Error_string(rc, text, &len) != MPI_SUCCESS)
        snprintf(text, sizeof text, "MPI error code %d", rc);
    if (MPI_Comm_rank(MPI_COMM_WORLD, &rank) != MPI_SUCCESS) rank = -1;
    fprintf(stderr, "gutskin: %s failed on MPI rank %d: %s; stopping every rank\n", call, rank,
            text);
    MPI_Abort(MPI_COMM_WORLD, 1);
    abort();  /* MPI_Abort does not return; if it did, stop this rank anyway */
}

gs_status gs_mpi_start(int *rank, int *size, gs_err *err)
{
    assert(rank && size);
    int initialized = 0, finalized = 0;
    if (MPI_Initialized(&initialized) != MPI_SUCCESS ||
        MPI_Finalized(&finalized) != MPI_SUCCESS)
        return gs_fail(err, GS_ERR_IO, "cannot ask the MPI library whether it is running");
    if (finalized)
        return gs_fail(err, GS_ERR_INTERNAL, "MPI was already finalized in this process and "
                       "cannot start again");
    if (!initialized) {
        int provided = MPI_THREAD_SINGLE;
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
            return gs_fail(err, GS_ERR_IO, "cannot start MPI (MPI_Init_thread failed); run "
                           "under mpirun, or check the Open MPI installation");
        mpi_started = 1;
        if (provided < MPI_THREAD_FUNNELED) {
            gs_mpi_stop();
            return gs_fail(err, GS_ERR_IO, "the MPI library does not support threads "
                           "(MPI_THREAD_FUNNELED), which the OpenMP workers need");
        }
    }
    /* errors come back to mpi_must, which names the rank before aborting */
    mpi_must(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN),
             "MPI_Comm_set_errhandler");
    mpi_must(MPI_Comm_rank(MPI_COMM_WORLD, rank), "MPI_Comm_rank");
    mpi_must(MPI_Comm_size(MPI_COMM_WORLD, size), "MPI_Comm_size");
    return GS_OK;
}

void gs_mpi_stop(void)
{
    if (!mpi_started) return;
    int finalized = 1;
    if (MPI_Finalized(&finalized) == MPI_SUCCESS && !finalized &&
        MPI_Finalize() != MPI_SUCCESS) {
        /* nothing left to do about it: the process is ending */
    }
    mpi_started = 0;
}

void gs_mpi_share(long patients, int rank, int size, long *first, long *count)
{
    assert(patients >= 0 && size >= 1 && rank >= 0 && rank < size && first && count);
    long base = patients / size, extra = patients % size;
    *first = (long)rank * base + (rank < extra ? rank : extra);
    *count = base + (rank < extra ? 1 : 0);
    assert(*first + *count <= patients);
}

gs_status gs_mpi_agree(gs_err *err)
{
    assert(err);
    int rank, size;
    mpi_must(MPI_Comm_rank(MPI_COMM_WORLD, &rank), "MPI_Comm_rank");
    mpi_must(MPI_Comm_size(MPI_COMM_WORLD, &size), "MPI_Comm_size");
    int mine = err->status != GS_OK ? rank : size, lowest = size;
    mpi_must(MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD),
             "MPI_Allreduce");
    if (lowest == size) return GS_OK;
    int status = (int)err->status;
    char msg[GS_ERR_MSG_MAX];
    memcpy(msg, err->msg, sizeof msg);
    mpi_must(MPI_Bcast(&status, 1, MPI_INT, lowest, MPI_COMM_WORLD), "MPI_Bcast");
    mpi_must(MPI_Bcast(msg, GS_ERR_MSG_MAX, MPI_CHAR, lowest, MPI_COMM_WORLD), "MPI_Bcast");
    msg[GS_ERR_MSG_MAX - 1] = '\0';
    if (status <= GS_OK || status > GS_ERR_INTERNAL) status = GS_ERR_INTERNAL;
    if (lowest == 0) return gs_fail(err, (gs_status)status, "%s", msg);
    return gs_fail(err, (gs_status)status, "rank %d of %d: %s", lowest, size, msg);
}

/* ---- packing ------------------------------------------------------------- */

size_t gs_trial_pack_width(size_t n_endpoints)
{
    return PACK_HEAD + 2 * n_endpoints;
}

void gs_trial_pack(const gs_trial_results *res, size_t n_endpoints, long first, long count,
                   double *numbers, char *text, size_t *text_len)
{
    assert(res && numbers && text && text_len);
    assert(first >= 0 && count >= 0 && count <= res->patients - first);
    size_t width = gs_trial_pack_width(n_endpoints), len = 0;
    for (long k = 0; k < count; k++) {
        const gs_patient_result *r = &res->patient[first + k];
        double *out = numbers + (size_t)k * width;
        out[0] = (double)r->fate;
        out[1] = (double)r->arm;
        out[2] = (double)r->included;
        out[3] = (double)r->criterion;
        out[4] = r->t50;
        out[5] = r->t90;
        memcpy(out + PACK_HEAD, r->baseline, n_endpoints * sizeof *out);
        memcpy(out + PACK_HEAD + n_endpoints, r->value, n_endpoints * sizeof *out);
        if (r->fate != GS_FATE_FAILED) continue;
        const char *sentence = r->failure ? r->failure : "";
        size_t n = strnlen(sentence, TEXT_MAX - 1);
        memcpy(text + len, sentence, n);
        text[len + n] = '\0';
        len += n + 1;
    }
    assert(len <= (size_t)count * TEXT_MAX);
    *text_len = len;
}

/* x is a whole number in [lo, hi]: store it in *out. */
static int whole_in(double x, double lo, double hi, int *out)
{
    if (!(x >= lo && x <= hi) || x != floor(x)) return 0;
    *out = (int)x;
    return 1;
}

gs_status gs_trial_unpack(gs_trial_results *res, size_t n_endpoints, size_t n_arms,
                          size_t n_criteria, long first, long count, const double *numbers,
                          const char *text, size_t text_len, gs_err *err)
{
    assert(res && numbers && (text || text_len == 0));
    assert(first >= 0 && count >= 0 && count <= res->patients - first);
    size_t width = gs_trial_pack_width(n_endpoints), used = 0;
    for (long k = 0; k < count; k++) {
        long i = first + k;
        gs_patient_result *r = &res->patient[i];
        const double *in = numbers + (size_t)k * width;
        if (r->fate != GS_FATE_NOT_RUN)
            return gs_fail(err, GS_ERR_INTERNAL, "patient %ld arrived in the gather but was "
                           "already run on rank 0", i);
        int fate, arm, included, criterion;
        if (!whole_in(in[0], GS_FATE_COMPLETED, GS_FATE_FAILED, &fate) ||
            !whole_in(in[1], -1, (double)n_arms - 1, &arm) ||
            !whole_in(in[2], 0, 1, &included) ||
            !whole_in(in[3], -1, (double)n_criteria - 1, &criterion))
            return gs_fail(err, GS_ERR_INTERNAL, "the gathered result of patient %ld is "
                           "malformed (fate %g, arm %g, included %g, criterion %g)", i, in[0],
                           in[1], in[2], in[3]);
        char *failure = NULL;
        if (fate == GS_FATE_FAILED) {
            size_t room = text_len - used;
            size_t n = used < text_len ? strnlen(text + used, room) : 0;
            if (used >= text_len || n == room)
                return gs_fail(err, GS_ERR_INTERNAL, "the failure sentence of patient %ld is "
                               "missing from the gathered text", i);
            if (n > 0 && !(failure = strdup(text + used)))
                return gs_fail(err, GS_ERR_NOMEM, "out of memory for the failure sentence "
                               "of patient %ld", i);
            used += n + 1;
        }
        r->fate = (gs_fate)fate;
        r->arm = arm;
        r->included = included;
        r->criterion = criterion;
        r->t50 = in[4];
        r->t90 = in[5];
        memcpy(r->baseline, in + PACK_HEAD, n_endpoints * sizeof *in);
        memcpy(r->value, in + PACK_HEAD + n_endpoints, n_endpoints * sizeof *in);
        r->failure = failure;
    }
    if (used != text_len)
        return gs_fail(err, GS_ERR_INTERNAL, "%zu bytes of failure sentences were left over "
                       "after patients %ld to %ld", text_len - used, first,
                       first + count - 1);
    return GS_OK;
}

/* ---- the gather ---------------------------------------------------------- */

/* Collective: record in *local (when it holds no failure yet) whether this
 * rank's trial has the shape and seed of rank 0's.  Ranks that read
 * different files, or got different --patients or --seed, would otherwise
 * compute different shares and leave rank 0 waiting for messages that
 * never come. */
static void check_same_trial(const gs_trial *t, int rank, gs_err *local)
{
    enum { PATIENTS, SEED, DAYS, ARMS, ENDPOINTS, CRITERIA, N_SHAPE };
    static const char *what[N_SHAPE] = {"patients", "seed", "days", "arms", "endpoints",
                                        "inclusion criteria"};
    long mine[N_SHAPE] = {t->patients, (long)t->seed, t->days, (long)t->n_arms,
                          (long)t->n_endpoints, (long)t->pop.n_include};
    long root[N_SHAPE];
    memcpy(root, mine, sizeof root);
    mpi_must(MPI_Bcast(root, N_SHAPE, MPI_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
    if (local->status != GS_OK || rank == 0) return;
    for (int k = 0; k < N_SHAPE; k++) {
        if (mine[k] == root[k]) continue;
        gs_fail(local, GS_ERR_INPUT, "this rank's trial has %ld %s where rank 0's has %ld; "
                "every rank must read the same files with the same options", mine[k], what[k],
                root[k]);
        return;
    }
}

/* Send this rank's block [first, first + count) to rank 0, chunk by chunk. */
static void send_block(const gs_trial *t, const gs_trial_results *res, long first, long count,
                       double *numbers, char *text)
{
    size_t width = gs_trial_pack_width(t->n_endpoints);
    for (long at = first; at < first + count; at += GS_MPI_CHUNK) {
        long n = first + count - at < GS_MPI_CHUNK ? first + count - at : GS_MPI_CHUNK;
        size_t len = 0;
        gs_trial_pack(res, t->n_endpoints, at, n, numbers, text, &len);
        mpi_must(MPI_Send(numbers, (int)((size_t)n * width), MPI_DOUBLE, 0, TAG_NUMBERS,
                          MPI_COMM_WORLD), "MPI_Send of results");
        mpi_must(MPI_Send(text, (int)len, MPI_CHAR, 0, TAG_TEXT, MPI_COMM_WORLD),
                 "MPI_Send of failure sentences");
    }
}

/* On rank 0: receive every other rank's block into res, in rank (so
 * patient) order.  After a malformed chunk the remaining messages are
 * still received, so that no sender is left blocked; the first problem is
 * returned. */
static gs_status receive_blocks(const gs_trial *t, gs_trial_results *res, int size,
                                double *numbers, char *text, gs_err *err)
{
    size_t width = gs_trial_pack_width(t->n_endpoints);
    gs_status st = GS_OK;
    for (int from = 1; from < size; from++) {
        long first, count;
        gs_mpi_share(t->patients, from, size, &first, &count);
        for (long at = first; at < first + count; at += GS_MPI_CHUNK) {
            long n = first + count - at < GS_MPI_CHUNK ? first + count - at : GS_MPI_CHUNK;
            MPI_Status got;
            int got_numbers = 0, got_text = 0;
            mpi_must(MPI_Recv(numbers, (int)((size_t)n * width), MPI_DOUBLE, from, TAG_NUMBERS,
                              MPI_COMM_WORLD, &got), "MPI_Recv of results");
            mpi_must(MPI_Get_count(&got, MPI_DOUBLE, &got_numbers), "MPI_Get_count");
            mpi_must(MPI_Recv(text, (int)((size_t)GS_MPI_CHUNK * TEXT_MAX), MPI_CHAR, from,
                              TAG_TEXT, MPI_COMM_WORLD, &got), "MPI_Recv of failure sentences");
            mpi_must(MPI_Get_count(&got, MPI_CHAR, &got_text), "MPI_Get_count");
            if (st != GS_OK) continue;
            if ((size_t)got_numbers != (size_t)n * width)
                st = gs_fail(err, GS_ERR_INTERNAL, "rank %d sent %d numbers for patients %ld "
                             "to %ld, expected %zu", from, got_numbers, at, at + n - 1,
                             (size_t)n * width);
            else
                st = gs_trial_unpack(res, t->n_endpoints, t->n_arms, t->pop.n_include, at, n,
                                     numbers, text, (size_t)got_text, err);
        }
    }
    return st;
}

gs_status gs_trial_run_mpi(const gs_trial *t, const gs_trial_opts *opts,
                           gs_trial_results *res, gs_err *err)
{
    assert(t && res);
    int rank, size;
    mpi_must(MPI_Comm_rank(MPI_COMM_WORLD, &rank), "MPI_Comm_rank");
    mpi_must(MPI_Comm_size(MPI_COMM_WORLD, &size), "MPI_Comm_size");
    gs_err local;
    gs_err_clear(&local);
    check_same_trial(t, rank, &local);
    gs_status st = gs_mpi_agree(&local);
    if (st != GS_OK) {
        memset(res, 0, sizeof *res);
        if (err) *err = local;
        return st;
    }
    long first, count;
    gs_mpi_share(t->patients, rank, size, &first, &count);
    /* an empty block (more ranks than patients) must not read as "to the
     * last patient", which count 0 means to gs_trial_run */
    gs_trial_opts mine = {opts ? opts->threads : 0, opts ? opts->progress : NULL,
                          count ? first : t->patients, count};
    st = gs_trial_run(t, &mine, res, &local);

    /* both buffers before the agreement, so that a lack of memory stops
     * every rank rather than a gather half done */
    size_t width = gs_trial_pack_width(t->n_endpoints);
    double *numbers = NULL;
    char *text = NULL;
    if (st == GS_OK && size > 1) {
        numbers = malloc((size_t)GS_MPI_CHUNK * width * sizeof *numbers);
        text = malloc((size_t)GS_MPI_CHUNK * TEXT_MAX);
        if (!numbers || !text)
            st = gs_fail(&local, GS_ERR_NOMEM, "out of memory for the buffers of the gather "
                         "of results");
    }
    st = gs_mpi_agree(&local);
    if (st == GS_OK && size > 1) {
        if (rank == 0) st = receive_blocks(t, res, size, numbers, text, &local);
        else send_block(t, res, first, count, numbers, text);
        /* rank 0's verdict on what it received, for every rank */
        st = gs_mpi_agree(&local);
    }
    free(numbers);
    free(text);
    if (st != GS_OK && err) *err = local;
    return st;
}
