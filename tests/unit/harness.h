/* harness.h - the unit-test harness: TEST(name) functions, assertions with relative tolerances,
 * and a main() that runs every test, or the ones named on the command line, and ends with one
 * line "N passed, N failed" (", N skipped" when a test said SKIP). Each test file is one binary;
 * include this header once. */
#ifndef SOL_HARNESS_H
#define SOL_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*harness_fn)(void);
struct harness_test {
    const char *name;
    harness_fn fn;
};
#define HARNESS_MAX 512
static struct harness_test harness_tests[HARNESS_MAX];
static int harness_ntests;
static int harness_failed_now;
static const char *harness_skipped_now;

#define TEST(name)                                                                                 \
    static void test_##name(void);                                                                 \
    __attribute__((constructor)) static void register_##name(void)                                 \
    {                                                                                              \
        if (harness_ntests < HARNESS_MAX)                                                          \
            harness_tests[harness_ntests++] = (struct harness_test){#name, test_##name};           \
    }                                                                                              \
    static void test_##name(void)

#define HARNESS_FAIL(...)                                                                          \
    do {                                                                                           \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                                          \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        harness_failed_now = 1;                                                                    \
        return;                                                                                    \
    } while (0)

/* The test does not apply here (a test about the SQLite file, run on PostgreSQL): counted as
 * skipped, with the reason printed on its own line "SKIP name: why". */
#define SKIP(why)                                                                                  \
    do {                                                                                           \
        harness_skipped_now = (why);                                                               \
        return;                                                                                    \
    } while (0)

#define ASSERT(c)                                                                                  \
    do {                                                                                           \
        if (!(c))                                                                                  \
            HARNESS_FAIL("assertion failed: %s", #c);                                              \
    } while (0)

#define ASSERT_EQ(a, b)                                                                            \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_)                                                                              \
            HARNESS_FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_);                                \
    } while (0)

#define ASSERT_STR_EQ(a, b)                                                                        \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                                       \
            HARNESS_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)",                 \
                         b_ ? b_ : "(null)");                                                      \
    } while (0)

#define ASSERT_CONTAINS(hay, needle)                                                               \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (h_ == NULL || strstr(h_, n_) == NULL)                                                  \
            HARNESS_FAIL("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_);                \
    } while (0)

#define ASSERT_STATUS(got, want)                                                                   \
    do {                                                                                           \
        sol_status g_ = (got), w_ = (want);                                                        \
        if (g_ != w_)                                                                              \
            HARNESS_FAIL("%s: got %s, want %s", #got, sol_errname(g_), sol_errname(w_));           \
    } while (0)

/* |got - want| <= rtol * max(|want|, tiny): relative tolerance as GSL's gsl_test_rel. */
#define ASSERT_REL(got, want, rtol)                                                                \
    do {                                                                                           \
        double g_ = (double)(got), w_ = (double)(want), t_ = (double)(rtol);                       \
        double s_ = fabs(w_) > 1e-300 ? fabs(w_) : 1.0;                                            \
        if (!(fabs(g_ - w_) <= t_ * s_))                                                           \
            HARNESS_FAIL("%s = %.17g, want %.17g (rel err %.3g > %.3g)", #got, g_, w_,             \
                         fabs(g_ - w_) / s_, t_);                                                  \
    } while (0)

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, skipped = 0;
    for (int i = 0; i < harness_ntests; i++) {
        if (argc > 1) {
            int want = 0;
            for (int k = 1; k < argc; k++)
                want |= strcmp(argv[k], harness_tests[i].name) == 0;
            if (!want)
                continue;
        }
        harness_failed_now = 0;
        harness_skipped_now = NULL;
        harness_tests[i].fn();
        if (harness_skipped_now != NULL && !harness_failed_now) {
            skipped++;
            printf("SKIP %s: %s\n", harness_tests[i].name, harness_skipped_now);
        } else if (harness_failed_now) {
            failed++;
            fprintf(stderr, "FAIL %s\n", harness_tests[i].name);
        } else {
            passed++;
        }
    }
    if (skipped)
        printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    else
        printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#endif
