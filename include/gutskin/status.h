/*
 * status.h - the one error type of libgutskin.
 *
 * Every fallible function returns a gs_status and, on failure, writes a
 * sentence a user can act on into a gs_err the caller owns.  The sentence
 * names what went wrong and where (file:line:column, block.state, day).
 * The status decides the exit code of the command: input errors exit 2,
 * everything else exits 1.
 */
#ifndef GUTSKIN_STATUS_H
#define GUTSKIN_STATUS_H

#include <stddef.h>

typedef enum gs_status {
    GS_OK = 0,
    GS_ERR_INPUT,    /* the user's input is wrong: exit 2 */
    GS_ERR_SOLVER,   /* numerical failure of the integrator: exit 1 */
    GS_ERR_IO,       /* file or system failure: exit 1 */
    GS_ERR_NOMEM,    /* allocation failed: exit 1 */
    GS_ERR_INTERNAL  /* a broken invariant: exit 1 */
} gs_status;

#define GS_ERR_MSG_MAX 1024

typedef struct gs_err {
    gs_status status;
    char msg[GS_ERR_MSG_MAX];
} gs_err;

/* Record a failure on err (which may be NULL) and return st.  The message
 * is formatted like printf and truncated to GS_ERR_MSG_MAX - 1 bytes. */
gs_status gs_fail(gs_err *err, gs_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reset err to GS_OK with an empty message. */
void gs_err_clear(gs_err *err);

/* Exit code for a status: 0 for GS_OK, 2 for GS_ERR_INPUT, 1 otherwise. */
int gs_exit_code(gs_status st);

/* The candidate closest to name by edit distance, or NULL when none is
 * close enough to be a plausible typo.  Used to say "did you mean ...". */
const char *gs_nearest_name(const char *name, const char *const *candidates,
                            size_t n_candidates);

#endif
