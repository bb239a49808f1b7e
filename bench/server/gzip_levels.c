/*
 * gzip_levels.c - what each zlib level costs on one reply body: the
 * compressed size and the time to compress it (best of several runs, one
 * thread), to choose the server's level (src/server/http.h GS_GZIP_LEVEL).
 * bench/server/run.sh builds and runs it on the year-long entries list.
 *
 * usage: gzip_levels FILE [LEVEL...]   (default levels 1 6 9)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gzip_levels FILE [LEVEL...]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    unsigned char *in = malloc(n > 0 ? (size_t)n : 1);
    if (!in || fread(in, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "gzip_levels: cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(f);
    static const int dflt[] = {1, 6, 9};
    int nlev = argc > 2 ? argc - 2 : 3;
    printf("zlib %s on %ld bytes: level, bytes, %% of input, ms (best of 15)\n", zlibVersion(), n);
    for (int i = 0; i < nlev; i++) {
        int level = argc > 2 ? atoi(argv[i + 2]) : dflt[i];
        uLong bound = compressBound((uLong)n) + 64;
        unsigned char *out = malloc(bound);
        double best = 1e30;
        uLong size = 0;
        for (int r = 0; r < 15; r++) {
            z_stream z;
            memset(&z, 0, sizeof z);
            /* as the server does: the gzip wrapper, memLevel 8 */
            if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
                fprintf(stderr, "gzip_levels: level %d refused\n", level);
                return 2;
            }
            z.next_in = in;
            z.avail_in = (uInt)n;
            z.next_out = out;
            z.avail_out = (uInt)bound;
            double t0 = now_ms();
            int rc = deflate(&z, Z_FINISH);
            double t = now_ms() - t0;
            size = z.total_out;
            deflateEnd(&z);
            if (rc != Z_STREAM_END) {
                fprintf(stderr, "gzip_levels: deflate failed (%d)\n", rc);
                return 1;
            }
            if (t < best) best = t;
        }
        printf("level %d  %8lu bytes  %5.1f%%  %6.2f ms\n", level, (unsigned long)size,
               100.0 * (double)size / (double)n, best);
        free(out);
    }
    free(in);
    return 0;
}
