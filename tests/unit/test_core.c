/* test_core.c - status table, bounded buffers, string map, UTF-8 and number parsing. */
#include "core/core.h"
#include "harness.h"

#include <solidata/csv.h>

TEST(status_names_and_messages)
{
    ASSERT_STR_EQ(sol_errname(SOL_EPARSE), "SOL_EPARSE");
    ASSERT_STR_EQ(sol_strerror(SOL_OK), "success");
    ASSERT_STR_EQ(sol_errname((sol_status)12345), "SOL_UNKNOWN");
    sol_error e;
    sol__err_at(&e, SOL_EPARSE, "a.csv", 3, 7, "expected %d fields", 4);
    char buf[256];
    sol_error_format(&e, buf, sizeof buf);
    ASSERT_STR_EQ(buf, "a.csv:3:7: expected 4 fields");
    sol__err_at(&e, SOL_EIO, "a.csv", 0, 0, "cannot open");
    sol_error_format(&e, buf, sizeof buf);
    ASSERT_STR_EQ(buf, "a.csv: cannot open");
}

TEST(buf_is_bounded)
{
    sol_buf b;
    sol__buf_init(&b, 8);
    ASSERT_STATUS(sol__buf_add(&b, "12345678", 8), SOL_OK);
    ASSERT_STATUS(sol__buf_addc(&b, 'x'), SOL_ELIMIT);
    ASSERT_EQ(b.len, 8);
    ASSERT_STR_EQ(b.data, "12345678");
    sol__buf_reset(&b);
    ASSERT_STATUS(sol__buf_addf(&b, "%d-%s", 42, "ab"), SOL_OK);
    ASSERT_STR_EQ(b.data, "42-ab");
    ASSERT_STATUS(sol__buf_addf(&b, "%s", "toolong"), SOL_ELIMIT);
    sol__buf_free(&b);
}

TEST(strmap_grows_and_finds)
{
    sol_strmap *m = sol__strmap_new(2);
    ASSERT(m != NULL);
    char k[32];
    for (int i = 0; i < 10000; i++) {
        int n = snprintf(k, sizeof k, "code%05d", i);
        ASSERT_STATUS(sol__strmap_put(m, k, (size_t)n, i * 3), SOL_OK);
    }
    ASSERT_EQ(sol__strmap_count(m), 10000);
    int64_t v = -1;
    ASSERT(sol__strmap_get(m, "code04242", 9, &v));
    ASSERT_EQ(v, 4242 * 3);
    ASSERT(!sol__strmap_get(m, "code10000", 9, &v));
    ASSERT_STATUS(sol__strmap_put(m, "code00001", 9, -5), SOL_OK);
    ASSERT_EQ(sol__strmap_count(m), 10000);
    ASSERT(sol__strmap_get(m, "code00001", 9, &v));
    ASSERT_EQ(v, -5);
    sol__strmap_free(m);
}

TEST(utf8_validation)
{
    const char ok[] = "Valle d'Aosta/Vall\xc3\xa9"
                      "e d'Aoste \xe2\x82\xac \xf0\x9f\x98\x80";
    ASSERT_EQ(sol__utf8_invalid_at(ok, sizeof ok - 1), sizeof ok - 1);
    ASSERT_EQ(sol__utf8_invalid_at("ab\xe9z", 4), 2);          /* Latin-1 e-acute */
    ASSERT_EQ(sol__utf8_invalid_at("ab\xc3", 3), 2);           /* truncated */
    ASSERT_EQ(sol__utf8_invalid_at("\xc0\xaf", 2), 0);         /* overlong */
    ASSERT_EQ(sol__utf8_invalid_at("x\xed\xa0\x80", 4), 1);    /* surrogate */
    ASSERT_EQ(sol__utf8_invalid_at("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
}

TEST(numbers_parse_exactly)
{
    double v = 0;
    ASSERT_STATUS(sol_parse_number("82.1", 4, 0, &v), SOL_OK);
    ASSERT(v == 82.1);
    ASSERT_STATUS(sol_parse_number(" -0.05 ", 7, 0, &v), SOL_OK);
    ASSERT(v == -0.05);
    ASSERT_STATUS(sol_parse_number("3,25", 4, 1, &v), SOL_OK);
    ASSERT(v == 3.25);
    ASSERT_STATUS(sol_parse_number("3,25", 4, 0, &v), SOL_ETYPE);
    ASSERT_STATUS(sol_parse_number("1.5e-3", 6, 0, &v), SOL_OK);
    ASSERT(v == 1.5e-3);
    ASSERT_STATUS(sol_parse_number("84706313061", 11, 0, &v), SOL_OK);
    ASSERT(v == 84706313061.0);
    ASSERT_STATUS(sol_parse_number("0.1234567890123456789", 21, 0, &v), SOL_OK);
    ASSERT(v == 0.1234567890123456789);
    ASSERT_STATUS(sol_parse_number("abc", 3, 0, &v), SOL_ETYPE);
    ASSERT_STATUS(sol_parse_number("0x10", 4, 0, &v), SOL_ETYPE);
    ASSERT_STATUS(sol_parse_number("inf", 3, 0, &v), SOL_ETYPE);
    ASSERT_STATUS(sol_parse_number("1e999", 5, 0, &v), SOL_ETYPE);
    ASSERT_STATUS(sol_parse_number("1.234,5", 7, 1, &v), SOL_ETYPE);
    ASSERT_STATUS(sol_parse_number("-", 1, 0, &v), SOL_ETYPE);
    ASSERT(sol_is_missing("", 0));
    ASSERT(sol_is_missing(" .. ", 4));
    ASSERT(sol_is_missing("NA", 2));
    ASSERT(!sol_is_missing("0", 1));
}

TEST(fault_injection_fails_the_nth_allocation)
{
    if (!sol__alloc_injection())
        return; /* a build without fault injection (it runs in the sanitizer build) */
    setenv("SOL_FAIL_ALLOC", "2", 1);
    sol__alloc_reset();
    void *a = sol__malloc(8), *b = sol__malloc(8), *c = sol__malloc(8);
    ASSERT(a != NULL && b == NULL && c != NULL);
    sol__free(a);
    sol__free(c);
    unsetenv("SOL_FAIL_ALLOC");
    sol__alloc_reset();
}

/* A library opened on first use (src/core/dl.c): a missing one, or one without a function, is an
 * error that names the Debian package to install; one that is there gives working functions. */
TEST(libraries_opened_on_first_use)
{
    static const char *const names[] = {"sqrt"};
    void (*slot[1])(void) = {NULL};
    sol_error e;
    ASSERT_STATUS(sol__dl_bind("libsolidata-absent.so.9", "libabsent9", names, slot, 1, &e),
                  SOL_EIO);
    ASSERT(strstr(e.msg, "libsolidata-absent.so.9") != NULL);
    ASSERT(strstr(e.msg, "libabsent9") != NULL);
    static const char *const bad[] = {"sqrt", "sol_no_such_function"};
    void (*slots[2])(void) = {NULL, NULL};
    ASSERT_STATUS(sol__dl_bind("libm.so.6", "libc6", bad, slots, 2, &e), SOL_EIO);
    ASSERT(strstr(e.msg, "sol_no_such_function") != NULL);
    ASSERT_STATUS(sol__dl_bind("libm.so.6", "libc6", names, slot, 1, &e), SOL_OK);
    double (*root)(double);
    memcpy(&root, &slot[0], sizeof root);
    ASSERT(root(16.0) == 4.0);
}
