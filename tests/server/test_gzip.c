/*
 * test_gzip.c - compressed replies without a socket: which Accept-Encoding
 * values allow gzip (q-values, "*", identity, malformed elements), which
 * replies are compressible, and that a compressed reply inflates to exactly
 * the bytes it was made from, once per shared buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "server/http.h"

static void accepted(void **state)
{
    (void)state;
    /* what browsers send */
    assert_true(gs_http_gzip_accepted("gzip, deflate, br, zstd"));
    assert_true(gs_http_gzip_accepted("gzip, deflate"));
    assert_true(gs_http_gzip_accepted("gzip"));
    assert_true(gs_http_gzip_accepted("GZip"));
    assert_true(gs_http_gzip_accepted("x-gzip"));
    assert_true(gs_http_gzip_accepted("br,gzip"));
    assert_true(gs_http_gzip_accepted("  br ,\tgzip  "));
    assert_true(gs_http_gzip_accepted("gzip;q=0.001"));
    assert_true(gs_http_gzip_accepted("gzip; q=1"));
    assert_true(gs_http_gzip_accepted("gzip ;Q=1.000"));
    assert_true(gs_http_gzip_accepted("gzip;q = 0.5"));
    assert_true(gs_http_gzip_accepted("*"));
    assert_true(gs_http_gzip_accepted("br;q=1, *;q=0.1"));
    assert_true(gs_http_gzip_accepted("identity;q=0.5, gzip"));
    assert_true(gs_http_gzip_accepted("identity, gzip"));  /* equal: the smaller reply */
    assert_true(gs_http_gzip_accepted(",,gzip,"));
    /* the same coding twice: the better weight counts */
    assert_true(gs_http_gzip_accepted("gzip;q=0, x-gzip;q=0.8"));
}

static void refused(void **state)
{
    (void)state;
    assert_false(gs_http_gzip_accepted(NULL));  /* no header: identity */
    assert_false(gs_http_gzip_accepted(""));
    assert_false(gs_http_gzip_accepted("identity"));
    assert_false(gs_http_gzip_accepted("br, deflate"));
    assert_false(gs_http_gzip_accepted("gzip;q=0"));
    assert_false(gs_http_gzip_accepted("gzip;q=0.0"));
    assert_false(gs_http_gzip_accepted("gzip;q=0.000"));
    assert_false(gs_http_gzip_accepted("gzip; q=0, deflate"));
    assert_false(gs_http_gzip_accepted("*;q=0"));
    /* gzip named and refused: "*" does not cover it */
    assert_false(gs_http_gzip_accepted("gzip;q=0, *"));
    /* the client prefers identity */
    assert_false(gs_http_gzip_accepted("identity;q=1, gzip;q=0.5"));
    assert_false(gs_http_gzip_accepted("identity, *;q=0.5"));
    /* not gzip, only alike */
    assert_false(gs_http_gzip_accepted("gzipx"));
    assert_false(gs_http_gzip_accepted("gzi"));
    assert_false(gs_http_gzip_accepted("x-gzip2"));
    /* malformed q-values: the element is ignored, not guessed at */
    assert_false(gs_http_gzip_accepted("gzip;q=2"));
    assert_false(gs_http_gzip_accepted("gzip;q=1.5"));
    assert_false(gs_http_gzip_accepted("gzip;q=0.1234"));
    assert_false(gs_http_gzip_accepted("gzip;q=abc"));
    assert_false(gs_http_gzip_accepted("gzip;q="));
    assert_false(gs_http_gzip_accepted("gzip;q=-1"));
    assert_false(gs_http_gzip_accepted("gzip q=1"));
    /* a malformed element does not spoil the others */
    assert_true(gs_http_gzip_accepted("br;q=9, gzip"));
    /* parameters other than q are ignored */
    assert_true(gs_http_gzip_accepted("gzip;level=9"));
    assert_false(gs_http_gzip_accepted("gzip;level=9;q=0"));
}

static void compressible(void **state)
{
    (void)state;
    assert_true(gs_http_compressible("application/json"));
    assert_true(gs_http_compressible("application/json; charset=utf-8"));
    assert_true(gs_http_compressible("application/fhir+json"));
    assert_false(gs_http_compressible("text/csv; charset=utf-8"));
    assert_false(gs_http_compressible("text/html; charset=utf-8"));
    assert_false(gs_http_compressible(NULL));
}

/* inflate a gzip stream; the caller frees */
static char *gunzip(const char *data, size_t len, size_t cap, size_t *out_len)
{
    char *out = malloc(cap);
    assert_non_null(out);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 16 + 15), Z_OK);  /* gzip wrapper only */
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.avail_in, 0);  /* nothing after the stream */
    *out_len = z.total_out;
    inflateEnd(&z);
    return out;
}

static void round_trip(void **state)
{
    (void)state;
    /* JSON-like text with repeats, as the entries list has, and a few
     * bytes of every value so nothing is special-cased */
    size_t len = 200000, made = 0;
    char *text = malloc(len);
    assert_non_null(text);
    for (size_t i = 0; made < len; i++) {
        char row[96];
        int k = snprintf(row, sizeof row, "{\"id\":%zu,\"kind\":\"skin\",\"value\":%zu},", i,
                         (i * 7919) % 11);
        size_t take = (size_t)k < len - made ? (size_t)k : len - made;
        memcpy(text + made, row, take);
        made += take;
    }
    for (size_t i = 0; i < 256; i++) text[len / 2 + i] = (char)i;
    gs_shared_bytes *b = gs_shared_bytes_new(text, len);
    assert_non_null(b);
    gs_shared_bytes *gz = gs_shared_bytes_gzip(b);
    assert_non_null(gz);
    assert_true(gz->len < len / 4);  /* it does compress */
    assert_int_equal((unsigned char)gz->data[0], 0x1f);  /* the gzip magic */
    assert_int_equal((unsigned char)gz->data[1], 0x8b);
    size_t out_len;
    char *out = gunzip(gz->data, gz->len, len + 1, &out_len);
    assert_int_equal(out_len, len);
    assert_memory_equal(out, text, len);
    /* asked again: the same compressed bytes, kept with b, not made again */
    gs_shared_bytes *again = gs_shared_bytes_gzip(b);
    assert_ptr_equal(again, gz);
    gs_shared_bytes_unref(again);
    gs_shared_bytes_unref(gz);
    gs_shared_bytes_unref(b);  /* frees b and its gzip form (ASan checks) */
    free(out);

    /* the best level (the pages): smaller still, the same bytes back */
    gs_shared_bytes *best = gs_gzip_new(text, len, 9);
    assert_non_null(best);
    out = gunzip(best->data, best->len, len + 1, &out_len);
    assert_int_equal(out_len, len);
    assert_memory_equal(out, text, len);
    free(out);
    gs_shared_bytes_unref(best);

    /* an empty body is a valid (tiny) gzip stream too */
    gs_shared_bytes *empty = gs_gzip_new("", 0, GS_GZIP_LEVEL);
    assert_non_null(empty);
    out = gunzip(empty->data, empty->len, 16, &out_len);
    assert_int_equal(out_len, 0);
    free(out);
    gs_shared_bytes_unref(empty);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepted),
        cmocka_unit_test(refused),
        cmocka_unit_test(compressible),
        cmocka_unit_test(round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
