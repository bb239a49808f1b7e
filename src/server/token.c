/*
 * token.c - the access token of `gutskin serve`: where it lives, how it is
 * made, how it is compared.
 *
 * The token is a capability: whoever can read the file can use the API.
 * So the file is created with O_EXCL and mode 0600 in a 0700 directory,
 * and a file that others may read is refused rather than silently used.
 * Comparison runs over every byte of the secret whatever the input, so
 * response times do not reveal how much of a guess was right.
 */
#define _GNU_SOURCE
#include "gutskin/server.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gutskin/journal.h"

gs_status gs_server_token_path(const char *db_path, char *buf, size_t len, gs_err *err)
{
    char journal[4096];
    if (!db_path) {  /* the journal layer decides where the default journal lives */
        if (gs_db_default_path(journal, sizeof journal, err) != GS_OK) return err->status;
        db_path = journal;
    }
    const char *slash = strrchr(db_path, '/');
    int n;
    if (!slash) n = snprintf(buf, len, "%s", GS_SERVER_TOKEN_FILE);
    else  /* the journal's directory; "/j.db" lives in "/" */
        n = snprintf(buf, len, "%.*s/%s", (int)(slash - db_path), db_path, GS_SERVER_TOKEN_FILE);
    if (n < 0 || (size_t)n >= len)
        return gs_fail(err, GS_ERR_INPUT, "the token file's path is too long");
    return GS_OK;
}

gs_status gs_server_random_hex(char *out, size_t n_bytes, gs_err *err)
{
    unsigned char raw[256];
    assert(n_bytes <= sizeof raw);
    size_t got = 0;
    while (got < n_bytes) {
        ssize_t r = getrandom(raw + got, n_bytes - got, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        got += (size_t)r;
    }
    if (got < n_bytes) {  /* a kernel without getrandom(2) */
        FILE *f = fopen("/dev/urandom", "rb");
        if (!f || fread(raw, 1, n_bytes, f) != n_bytes) {
            if (f) fclose(f);
            return gs_fail(err, GS_ERR_IO, "cannot read random bytes for the access token: "
                           "getrandom and /dev/urandom both failed");
        }
        fclose(f);
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n_bytes; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[2 * n_bytes] = '\0';
    return GS_OK;
}

int gs_server_secret_equal(const char *a, size_t a_len, const char *b)
{
    if (!a || !b) return 0;
    size_t b_len = strlen(b);
    unsigned diff = a_len != b_len;
    /* walk the secret's length whatever a is; read a only inside it */
    for (size_t i = 0; i < b_len; i++) {
        unsigned char ca = i < a_len ? (unsigned char)a[i] : 0;
        diff |= (unsigned)(ca ^ (unsigned char)b[i]);
    }
    return diff == 0;
}

/* mkdir -p of path's directory, new parts with mode 0700. */
static gs_status make_parent(const char *path, gs_err *err)
{
    char dir[4096];
    int n = snprintf(dir, sizeof dir, "%s", path);
    if (n < 0 || (size_t)n >= sizeof dir)
        return gs_fail(err, GS_ERR_INPUT, "the token file's path is too long");
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return GS_OK;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return gs_fail(err, GS_ERR_IO, "cannot create the directory %s: %s", dir,
                           strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return gs_fail(err, GS_ERR_IO, "cannot create the directory %s: %s", dir,
                       strerror(errno));
    return GS_OK;
}

static gs_status read_token(const char *path, int fd, char *token, gs_err *err)
{
    struct stat stt;
    if (fstat(fd, &stt) != 0)
        return gs_fail(err, GS_ERR_IO, "cannot inspect the token file %s: %s", path,
                       strerror(errno));
    if (!S_ISREG(stt.st_mode))
        return gs_fail(err, GS_ERR_INPUT, "the token file %s is not a regular file", path);
    if (stt.st_mode & 077)
        return gs_fail(err, GS_ERR_INPUT, "the token file %s can be read by others (mode "
                       "%03o); make it private with 'chmod 600 %s' or delete it for a new "
                       "one", path, (unsigned)(stt.st_mode & 0777), path);
    char buf[GS_SERVER_TOKEN_HEX + 4];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0)
        return gs_fail(err, GS_ERR_IO, "cannot read the token file %s: %s", path,
                       strerror(errno));
    size_t len = (size_t)n;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) len--;
    int ok = len == GS_SERVER_TOKEN_HEX;
    for (size_t i = 0; ok && i < len; i++)
        ok = (buf[i] >= '0' && buf[i] <= '9') || (buf[i] >= 'a' && buf[i] <= 'f');
    if (!ok)
        return gs_fail(err, GS_ERR_INPUT, "the token file %s does not hold %d lowercase hex "
                       "digits; delete it and a new token is made", path, GS_SERVER_TOKEN_HEX);
    memcpy(token, buf, GS_SERVER_TOKEN_HEX);
    token[GS_SERVER_TOKEN_HEX] = '\0';
    return GS_OK;
}

gs_status gs_server_token_load_or_create(const char *path, char *token, int *created,
                                         gs_err *err)
{
    *created = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
        gs_status st = read_token(path, fd, token, err);
        close(fd);
        return st;
    }
    if (errno != ENOENT)
        return gs_fail(err, GS_ERR_IO, "cannot open the token file %s: %s", path,
                       strerror(errno));
    gs_status st = make_parent(path, err);
    if (st != GS_OK) return st;
    if ((st = gs_server_random_hex(token, GS_SERVER_TOKEN_BYTES, err)) != GS_OK) return st;
    /* O_EXCL: two servers starting at once must not overwrite each other's
     * token; the loser reads the winner's. */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == EEXIST) return gs_server_token_load_or_create(path, token, created, err);
    if (fd < 0)
        return gs_fail(err, GS_ERR_IO, "cannot create the token file %s: %s", path,
                       strerror(errno));
    char line[GS_SERVER_TOKEN_HEX + 1];
    memcpy(line, token, GS_SERVER_TOKEN_HEX);
    line[GS_SERVER_TOKEN_HEX] = '\n';
    int ok = write(fd, line, sizeof line) == (ssize_t)sizeof line && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0) ok = 0;
    if (!ok) {
        unlink(path);  /* nothing half-written */
        return gs_fail(err, GS_ERR_IO, "cannot write the token file %s: %s", path,
                       strerror(saved));
    }
    *created = 1;
    return GS_OK;
}
