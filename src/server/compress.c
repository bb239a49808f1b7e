/*
 * compress.c - gzip for JSON replies: whether a request's Accept-Encoding
 * lets the server answer with gzip, and the compression itself (zlib).
 *
 * Why: a year of journal entries is about 580 KB of JSON; copying that per
 * reply is what limits the server's rate on loopback, and on a real link
 * it is what the person waits for.  The JSON compresses to about a tenth.
 * Browsers always offer gzip; scripts (curl without --compressed) do not,
 * and keep getting the plain bytes.
 *
 * Level 1: on that year (bench/server/gzip_levels.c) level 1 takes about
 * a third of the time of zlib's default level 6 for about a fifth more
 * bytes (10.6% against 8.7% of the input), and an uncached read pays it
 * on every request.
 */
#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "server/http.h"

/* ---- Accept-Encoding ------------------------------------------------------- */

/* Parse a qvalue (RFC 9110, 12.4.2: "0" to "1" with up to three decimals)
 * at p[0..n); -1 when it is not one. */
static int qvalue(const char *p, size_t n)
{
    if (n == 0 || n > 5 || (p[0] != '0' && p[0] != '1')) return -1;
    int q = (p[0] - '0') * 1000;
    if (n == 1) return q;
    if (p[1] != '.') return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (!isdigit((unsigned char)p[i])) return -1;
        q += (p[i] - '0') * scale;
    }
    return q <= 1000 ? q : -1;
}

/* One element of the list, "coding *( OWS ";" OWS param )", at s[0..n):
 * its coding in *name (*name_len bytes) and its weight in thousandths
 * (1000 when no q is given; -1 when the element is malformed). */
static int element(const char *s, size_t n, const char **name, size_t *name_len)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    size_t start = i;
    while (i < n && s[i] != ';' && s[i] != ' ' && s[i] != '\t') i++;
    *name = s + start;
    *name_len = i - start;
    int q = 1000;
    while (i < n) {  /* parameters: only q matters; anything else is ignored */
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i == n) break;
        if (s[i] != ';') return -1;
        i++;
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        size_t k = i;
        while (i < n && s[i] != ';') i++;
        size_t e = i;  /* the parameter is s[k..e), trailing blanks dropped */
        while (e > k && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
        if (e - k >= 2 && (s[k] == 'q' || s[k] == 'Q')) {
            size_t v = k + 1;
            while (v < e && (s[v] == ' ' || s[v] == '\t')) v++;
            if (v < e && s[v] == '=') {
                v++;
                while (v < e && (s[v] == ' ' || s[v] == '\t')) v++;
                q = qvalue(s + v, e - v);
                if (q < 0) return -1;
            }
        }
    }
    return q;
}

static int is_coding(const char *name, size_t len, const char *coding)
{
    return len == strlen(coding) && strncasecmp(name, coding, len) == 0;
}

int gs_http_gzip_accepted(const char *header)
{
    if (!header) return 0;
    int q_gzip = -1, q_star = -1, q_identity = -1;  /* -1: not listed */
    const char *p = header;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const char *name;
        size_t len;
        int q = element(p, n, &name, &len);
        /* a malformed element says nothing we can trust: skip it */
        if (q >= 0 && len > 0) {
            if (is_coding(name, len, "gzip") || is_coding(name, len, "x-gzip"))
                q_gzip = q > q_gzip ? q : q_gzip;
            else if (is_coding(name, len, "*")) q_star = q;
            else if (is_coding(name, len, "identity")) q_identity = q;
        }
        if (!comma) break;
        p = comma + 1;
    }
    /* gzip's own entry decides; "*" covers it only when it is not listed */
    int q = q_gzip >= 0 ? q_gzip : q_star;
    if (q <= 0) return 0;
    /* identity wins only when the client says it prefers it */
    return q_identity < 0 || q >= q_identity;
}

/* ---- compression ----------------------------------------------------------- */

int gs_http_compressible(const char *type)
{
    if (!type) return 0;
    return strncmp(type, "application/json", 16) == 0 ||
           strncmp(type, "application/fhir+json", 21) == 0;
}

gs_shared_bytes *gs_gzip_new(const char *data, size_t len, int level)
{
    assert(level >= 1 && level <= 9);
    /* zlib counts in uInt (32 bits); a reply that large goes out as it is */
    if (len > (size_t)UINT_MAX / 2) return NULL;
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: the gzip wrapper (header and CRC-32), not zlib's */
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong bound = deflateBound(&z, (uLong)len);
    gs_shared_bytes *b = bound < UINT_MAX ? malloc(sizeof *b + bound + 1) : NULL;
    if (!b) {
        deflateEnd(&z);
        return NULL;
    }
    atomic_init(&b->refs, 1);
    atomic_init(&b->gzip, NULL);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)b->data;
    z.avail_out = (uInt)bound;
    /* with deflateBound's room one call finishes the stream */
    int rc = deflate(&z, Z_FINISH);
    b->len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(b);
        return NULL;
    }
    assert(b->len <= bound);
    b->data[b->len] = '\0';
    return b;
}

gs_shared_bytes *gs_shared_bytes_gzip(gs_shared_bytes *b)
{
    gs_shared_bytes *gz = atomic_load(&b->gzip);
    if (!gz) {
        gs_shared_bytes *made = gs_gzip_new(b->data, b->len, GS_GZIP_LEVEL);
        if (!made) return NULL;
        gs_shared_bytes *expected = NULL;
        /* two replies of the same bytes may race here: the first one's
         * stays with b, the other is dropped */
        if (atomic_compare_exchange_strong(&b->gzip, &expected, made)) {
            gz = made;
        } else {
            gs_shared_bytes_unref(made);
            gz = expected;
        }
    }
    return gs_shared_bytes_ref(gz);
}
