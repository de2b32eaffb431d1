/* test_csv.c - the CSV reader on the shapes statistical offices publish, and on broken files. */
#include "harness.h"

#include <solidata/csv.h>
#include <solidata/limits.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sol_csv *open_str(const char *s, sol_error *e)
{
    sol_csv *c = NULL;
    sol_status rc = sol_csv_open_mem(s, strlen(s), "t.csv", NULL, &c, e);
    return rc == SOL_OK ? c : NULL;
}

TEST(comma_quotes_crlf_bom)
{
    sol_error e;
    sol_csv *c = open_str("\xEF\xBB\xBF"
                          "code,name,v\r\n01,\"Valle d'Aosta, \"\"VdA\"\"\",1.5\r\n\r\n"
                          "02,\"two\nlines\",\r\n",
                          &e);
    ASSERT(c != NULL);
    ASSERT_EQ(sol_csv_delimiter(c), ',');
    ASSERT_EQ(sol_csv_ncols(c), 3);
    ASSERT_STR_EQ(sol_csv_colname(c, 0), "code");
    ASSERT_EQ(sol_csv_colindex(c, "v"), 2);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "Valle d'Aosta, \"VdA\"");
    ASSERT_EQ(sol_csv_line(c), 2);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_EQ(sol_csv_line(c), 4);
    size_t n;
    ASSERT_STR_EQ(sol_csv_field(c, 1, &n), "two\nlines");
    ASSERT_EQ(n, 9);
    ASSERT_STR_EQ(sol_csv_field(c, 2, &n), "");
    ASSERT_EQ(n, 0);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EOF);
    sol_csv_close(c);
}

TEST(semicolon_detected_and_trailing_empty_field)
{
    sol_error e;
    sol_csv *c = open_str("a;b;c\n1;2,5;\n", &e);
    ASSERT(c != NULL);
    ASSERT_EQ(sol_csv_delimiter(c), ';');
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "2,5");
    ASSERT_STR_EQ(sol_csv_field(c, 2, NULL), "");
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EOF);
    sol_csv_close(c);
}

TEST(no_final_newline)
{
    sol_error e;
    sol_csv *c = open_str("a,b\n1,2", &e);
    ASSERT(c != NULL);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "2");
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EOF);
    sol_csv_close(c);
}

TEST(wrong_field_count_names_the_line)
{
    sol_error e;
    sol_csv *c = open_str("a,b,c\n1,2,3\n4,5\n", &e);
    ASSERT(c != NULL);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "t.csv:3");
    ASSERT_CONTAINS(e.msg, "expected 3 fields");
    sol_csv_close(c);
}

TEST(unterminated_quote_points_at_the_quote)
{
    sol_error e;
    sol_csv *c = open_str("a,b\n1,\"open\n2,3\n", &e);
    ASSERT(c != NULL);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "t.csv:2:3");
    ASSERT_CONTAINS(e.msg, "unterminated");
    sol_csv_close(c);
}

TEST(garbage_after_closing_quote)
{
    sol_error e;
    sol_csv *c = open_str("a,b\n\"x\"y,1\n", &e);
    ASSERT(c != NULL);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "t.csv:2:4");
    sol_csv_close(c);
}

TEST(invalid_utf8_names_line_and_column)
{
    sol_error e;
    sol_csv *c = open_str("a,name\n1,Citt\xe0\n", &e);
    ASSERT(c != NULL);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EENCODING);
    ASSERT_STR_EQ(e.where, "t.csv:2:7");
    ASSERT_CONTAINS(e.msg, "UTF-8");
    sol_csv_close(c);
}

TEST(huge_field_is_refused_not_allocated)
{
    sol_error e;
    size_t n = (size_t)SOL_MAX_CSV_FIELD + 10;
    char *s = malloc(n + 16);
    memcpy(s, "a,b\n1,", 6);
    memset(s + 6, 'x', n);
    memcpy(s + 6 + n, "\n", 2);
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open_mem(s, strlen(s), "big.csv", NULL, &c, &e), SOL_OK);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_ELIMIT);
    ASSERT_STR_EQ(e.where, "big.csv:2:3");
    sol_csv_close(c);
    free(s);
}

TEST(empty_file_and_missing_file)
{
    sol_error e;
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open_mem("", 0, "e.csv", NULL, &c, &e), SOL_EPARSE);
    ASSERT_CONTAINS(e.msg, "empty");
    ASSERT_STATUS(sol_csv_open("/nonexistent/x.csv", NULL, &c, &e), SOL_EIO);
    ASSERT_STR_EQ(e.where, "/nonexistent/x.csv");
    ASSERT_CONTAINS(e.msg, "No such file");
    ASSERT(c == NULL);
}

TEST(sha256_of_bytes_read)
{
    sol_error e;
    sol_csv *c = open_str("abc", &e);
    ASSERT(c != NULL);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EOF);
    char hex[65];
    sol_csv_sha256_hex(c, hex);
    ASSERT_STR_EQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sol_csv_close(c);
}

/* A file opened again (an import's area pass) reads the same rows but hashes nothing: the first
 * reader's digest stays the file's. */
TEST(reopen_keeps_no_digest)
{
    char path[] = "/tmp/sol-test-csv-XXXXXX";
    int fd = mkstemp(path);
    ASSERT(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    ASSERT(fp != NULL);
    fputs("abc", fp);
    fclose(fp);
    sol_error e;
    sol_csv *c = NULL, *r = NULL;
    ASSERT_STATUS(sol_csv_open(path, NULL, &c, &e), SOL_OK);
    ASSERT_STATUS(sol_csv_reopen(c, &r, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_colname(r, 0), "abc");
    ASSERT_STATUS(sol_csv_next(r, &e), SOL_EOF);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EOF);
    char hex[65];
    sol_csv_sha256_hex(r, hex);
    ASSERT_STR_EQ(hex, "");
    sol_csv_sha256_hex(c, hex);
    ASSERT_STR_EQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sol_csv_close(r);
    sol_csv_close(c);
    remove(path);
}

/* Fields split across the reader's 1 MiB chunks must come out whole. */
TEST(chunk_boundaries)
{
    sol_error e;
    size_t rows = 120000;
    char *s = malloc(rows * 24 + 32);
    size_t n = (size_t)sprintf(s, "code;label;v\r\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)sprintf(s + n, "%06zu;\"l;%zu\";%zu\r\n", i, i % 7, i);
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open_mem(s, n, "chunks.csv", NULL, &c, &e), SOL_OK);
    size_t got = 0;
    sol_status rc;
    while ((rc = sol_csv_next(c, &e)) == SOL_OK) {
        char want[32];
        sprintf(want, "%zu", got);
        if (strcmp(sol_csv_field(c, 2, NULL), want) != 0)
            break;
        got++;
    }
    ASSERT_STATUS(rc, SOL_EOF);
    ASSERT_EQ(got, rows);
    sol_csv_close(c);
    free(s);
}
