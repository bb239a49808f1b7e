/*
 * test_token.c - the server's pieces that need no socket: the access
 * token (path, creation with mode 0600, reuse, refusal of readable or
 * malformed files), the constant-time comparison, and the route table's
 * matching (captures, 404 versus 405 with Allow).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gutskin/server.h"
#include "server/http.h"

static void secret_equal(void **state)
{
    (void)state;
    const char *secret = "00112233445566778899aabbccddeeff";
    assert_true(gs_server_secret_equal(secret, strlen(secret), secret));
    assert_false(gs_server_secret_equal("00112233445566778899aabbccddeefe", 32, secret));
    assert_false(gs_server_secret_equal("10112233445566778899aabbccddeeff", 32, secret));
    assert_false(gs_server_secret_equal(secret, 31, secret));  /* a prefix */
    assert_false(gs_server_secret_equal("00112233445566778899aabbccddeeff0", 33, secret));
    assert_false(gs_server_secret_equal("", 0, secret));
    assert_false(gs_server_secret_equal(NULL, 0, secret));
}

static void random_hex(void **state)
{
    (void)state;
    char a[GS_SERVER_TOKEN_HEX + 1], b[GS_SERVER_TOKEN_HEX + 1];
    gs_err err;
    assert_int_equal(gs_server_random_hex(a, GS_SERVER_TOKEN_BYTES, &err), GS_OK);
    assert_int_equal(gs_server_random_hex(b, GS_SERVER_TOKEN_BYTES, &err), GS_OK);
    assert_int_equal(strlen(a), GS_SERVER_TOKEN_HEX);
    assert_int_equal(strspn(a, "0123456789abcdef"), GS_SERVER_TOKEN_HEX);
    assert_string_not_equal(a, b);
}

static void token_path(void **state)
{
    (void)state;
    char buf[512];
    gs_err err;
    assert_int_equal(gs_server_token_path("/data/me/journal.db", buf, sizeof buf, &err), GS_OK);
    assert_string_equal(buf, "/data/me/serve.token");
    assert_int_equal(gs_server_token_path("journal.db", buf, sizeof buf, &err), GS_OK);
    assert_string_equal(buf, "serve.token");
    assert_int_equal(gs_server_token_path("/j.db", buf, sizeof buf, &err), GS_OK);
    assert_string_equal(buf, "/serve.token");
    setenv("XDG_DATA_HOME", "/xdg", 1);
    assert_int_equal(gs_server_token_path(NULL, buf, sizeof buf, &err), GS_OK);
    assert_string_equal(buf, "/xdg/gutskin/serve.token");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/me", 1);
    assert_int_equal(gs_server_token_path(NULL, buf, sizeof buf, &err), GS_OK);
    assert_string_equal(buf, "/home/me/.local/share/gutskin/serve.token");
}

static void token_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/gs-token-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], again[GS_SERVER_TOKEN_HEX + 1], tok[GS_SERVER_TOKEN_HEX + 1];
    snprintf(path, sizeof path, "%s/a/b/serve.token", dir);
    gs_err err;
    int created;
    assert_int_equal(gs_server_token_load_or_create(path, tok, &created, &err), GS_OK);
    assert_true(created);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(gs_server_token_load_or_create(path, again, &created, &err), GS_OK);
    assert_false(created);
    assert_string_equal(tok, again);
    chmod(path, 0640);
    assert_int_equal(gs_server_token_load_or_create(path, again, &created, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "chmod 600"));
    chmod(path, 0600);
    FILE *f = fopen(path, "w");
    fputs("abc\n", f);
    fclose(f);
    assert_int_equal(gs_server_token_load_or_create(path, again, &created, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "hex digits"));
    unlink(path);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/a", dir);
    rmdir(sub);
    rmdir(dir);
}

static void routes(void **state)
{
    (void)state;
    gs_request rq = {0};
    int matched;
    char allow[64];
    const gs_route *r = gs_server_route_find("GET", "/api/v1/trials/42", &rq, &matched, allow,
                                             sizeof allow);
    assert_non_null(r);
    assert_ptr_equal(r->fn, gs_api_trial_get);
    assert_int_equal(rq.param_len[0], 2);
    assert_memory_equal(rq.param[0], "42", 2);
    r = gs_server_route_find("DELETE", "/api/v1/trials/42", &rq, &matched, allow, sizeof allow);
    assert_ptr_equal(r->fn, gs_api_trial_cancel);
    r = gs_server_route_find("GET", "/api/v1/trials/examples/zinc-acne", &rq, &matched, allow,
                             sizeof allow);
    assert_ptr_equal(r->fn, gs_api_trial_example);
    assert_memory_equal(rq.param[0], "zinc-acne", 9);
    r = gs_server_route_find("PUT", "/api/v1/trials/42", &rq, &matched, allow, sizeof allow);
    assert_null(r);
    assert_true(matched);
    assert_string_equal(allow, "GET, DELETE");
    r = gs_server_route_find("GET", "/api/v1/trials/42/x", &rq, &matched, allow, sizeof allow);
    assert_null(r);
    assert_false(matched);
    r = gs_server_route_find("GET", "/api/v1/trials/", &rq, &matched, allow, sizeof allow);
    assert_null(r);  /* an empty segment is not an id */
    r = gs_server_route_find("POST", "/api/v1/simulate", &rq, &matched, allow, sizeof allow);
    assert_ptr_equal(r->fn, gs_api_simulate);
    size_t n;
    const gs_route *all = gs_server_routes(&n);
    for (size_t i = 0; i < n; i++) {  /* every row is an API path with a summary */
        assert_memory_equal(all[i].pattern, "/api/v1", 7);
        assert_true(strlen(all[i].summary) > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(secret_equal), cmocka_unit_test(random_hex),
        cmocka_unit_test(token_path),   cmocka_unit_test(token_file),
        cmocka_unit_test(routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
