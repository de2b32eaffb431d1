/* test_sheet.c - tables as people have them (sol_table_open): numbers written by people, the
 * header below title lines, total rows, encodings, years as columns; lines and columns of the
 * file kept. */
#include "harness.h"

#include <solidata/csv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write s to a temporary file and open it as a table; NULL on error (e gets it). */
static sol_csv *table(const char *s, const sol_read_opts *o, sol_read_info *info, sol_error *e)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/solidata-test-sheet-%d.csv", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return NULL;
    fwrite(s, 1, strlen(s), f);
    fclose(f);
    sol_csv *c = NULL;
    sol_status rc = sol_table_open(path, o, &c, info, e);
    unlink(path);
    return rc == SOL_OK ? c : NULL;
}

TEST(numbers_as_people_write_them)
{
    sol_error e;
    sol_read_info ri;
    sol_read_opts o = {.area_field = "code"};
    sol_csv *c = table("code;a;b;c\n01;2 521;22,9 %;1.234,5\n02;2\xc2\xa0"
                       "521;7%;12.345.678\n03;12\xe2\x80\xaf"
                       "345;-0,5;1\n",
                       &o, &ri, &e);
    ASSERT(c != NULL);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "2521");
    ASSERT_STR_EQ(sol_csv_field(c, 2, NULL), "22.9");
    ASSERT_STR_EQ(sol_csv_field(c, 3, NULL), "1234.5");
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "2521");
    ASSERT_STR_EQ(sol_csv_field(c, 3, NULL), "12345678");
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "12345");
    ASSERT_STR_EQ(sol_csv_field(c, 2, NULL), "-0.5");
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EOF);
    ASSERT_STR_EQ(ri.percent_columns, "b");
    sol_csv_close(c);
}

TEST(ambiguous_number_needs_a_mark)
{
    sol_error e;
    sol_read_opts o = {.area_field = "code"};
    ASSERT(table("code;v\n01;1.234\n", &o, NULL, &e) == NULL);
    ASSERT_EQ(e.code, SOL_ETYPE);
    ASSERT(strstr(e.msg, "--decimal-mark") != NULL);
    o.decimal_mark = '.';
    sol_csv *c = table("code;v\n01;1.234\n", &o, NULL, &e);
    ASSERT(c != NULL);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "1.234");
    sol_csv_close(c);
    /* the column's other cells decide: 2,5 shows a decimal comma */
    o.decimal_mark = 0;
    c = table("code;v\n01;1.234\n02;2,5\n", &o, NULL, &e);
    ASSERT(c != NULL);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "1234");
    sol_csv_close(c);
}

TEST(header_below_titles_totals_blank_rows)
{
    sol_error e;
    sol_read_info ri;
    sol_read_opts o = {.area_field = "code"};
    sol_csv *c = table("Titre du tableau\n\nSource : Insee\ncode;nom;v\n93008;Bobigny;1\n;;\n"
                       "TOTAL G\xc3\x89N\xc3\x89RAL;;1\n93010;Bondy;2\n",
                       &o, &ri, &e);
    ASSERT(c != NULL);
    ASSERT_EQ(ri.header_line, 4);
    ASSERT_EQ(sol_csv_ncols(c), 3);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_EQ(sol_csv_line(c), 5);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_EQ(sol_csv_line(c), 8);
    ASSERT_EQ(sol_csv_col(c, 2), 13);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EOF);
    ASSERT_EQ(ri.blank_rows, 1);
    ASSERT_EQ(ri.total_rows, 1);
    ASSERT_EQ(ri.total_first_line, 7);
    sol_csv *again = NULL;
    ASSERT_STATUS(sol_csv_reopen(c, &again, &e), SOL_OK);
    ASSERT_STATUS(sol_csv_next(again, &e), SOL_OK);
    ASSERT_EQ(sol_csv_line(again), 5);
    sol_csv_close(c);
    sol_csv_close(again);
}

TEST(encodings_detected)
{
    sol_error e;
    sol_read_info ri;
    sol_csv *c = table("code;nom\n1;L\x92\xceLE\n", NULL, &ri, &e);
    ASSERT(c != NULL);
    ASSERT_STR_EQ(ri.encoding, "Windows-1252");
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "L\xe2\x80\x99\xc3\x8eLE");
    sol_csv_close(c);
    c = table("code;prix\n1;12 \xa4\n2;c\x9cur\n", NULL, &ri, &e);
    ASSERT(c != NULL);
    ASSERT_STR_EQ(ri.encoding, "Windows-1252");
    sol_csv_close(c);
    c = table("code;prix\n1;12 \xa4\n", NULL, &ri, &e);
    ASSERT(c != NULL);
    ASSERT_STR_EQ(ri.encoding, "ISO-8859-15");
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "12 \xe2\x82\xac");
    sol_csv_close(c);
    c = table("code;v\n1;\xc3\xa9t\xc3\xa9\n", NULL, &ri, &e);
    ASSERT(c != NULL);
    ASSERT_STR_EQ(ri.encoding, "UTF-8");
    ASSERT_EQ(ri.encoding_detected, 0);
    sol_csv_close(c);
}

TEST(years_as_columns)
{
    sol_error e;
    sol_read_info ri;
    sol_read_opts o = {.area_field = "code", .years_as_columns = 1, .indicator = "aiuti"};
    sol_csv *c = table("code,nome,2019,2020 (p)\n01,A,10,11\n", &o, &ri, &e);
    ASSERT(c != NULL);
    ASSERT_EQ(ri.year_columns, 2);
    ASSERT_EQ(sol_csv_ncols(c), 6);
    ASSERT_STR_EQ(sol_csv_colname(c, 2), "period");
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 2, NULL), "2019");
    ASSERT_STR_EQ(sol_csv_field(c, 3, NULL), "aiuti");
    ASSERT_STR_EQ(sol_csv_field(c, 4, NULL), "10");
    ASSERT_STR_EQ(sol_csv_field(c, 5, NULL), "");
    ASSERT_EQ(sol_csv_col(c, 4), 6);
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_OK);
    ASSERT_STR_EQ(sol_csv_field(c, 1, NULL), "A");
    ASSERT_STR_EQ(sol_csv_field(c, 5, NULL), "p");
    ASSERT_STATUS(sol_csv_next(c, &e), SOL_EOF);
    sol_csv_close(c);
}
