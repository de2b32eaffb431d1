/* ingest_int.h - what the readers of src/ingest share: the in-memory table that sheet.c reads
 * from a spreadsheet or a CSV file and that csv.c serves through the sol_csv reader. */
#ifndef SOL_INGEST_INT_H
#define SOL_INGEST_INT_H

#include <solidata/csv.h>

#include "core/core.h"

/* A grid of rows of cells (text NUL-terminated in `text`, at offsets `cell`), each row with the
 * line it came from and each cell with its column, plus the header and the rows kept as data. */
typedef struct sol__table {
    int refs;
    char *name;             /* the path, for messages */
    sol_buf text;           /* every cell's bytes, each NUL-terminated */
    size_t *cell;           /* offset of each cell in text */
    unsigned long *ccol;    /* its column in the original file (1-based) */
    size_t ncell, cap_cell; /* cells */
    size_t *rfirst, *rn;    /* row r: cells rfirst[r] .. rfirst[r] + rn[r] - 1 */
    unsigned long *rline;   /* row r: its line (CSV) or row number (spreadsheet) */
    size_t nrow, cap_row;   /* rows */
    char **hname;           /* header names (ncols), owned */
    size_t ncols;           /* columns */
    unsigned long header_line;
    size_t *keep, nkeep; /* the data rows, in order */
    char delim;          /* the CSV delimiter (';' for spreadsheets) */
    char sha[65];        /* SHA-256 of the file's bytes */
    uint64_t bytes;      /* the file's size */
} sol__table;

/* A reader over table t (which gains a reference, dropped at sol_csv_close). */
sol_status sol__csv_open_table(sol__table *t, sol_csv **out, sol_error *err);
/* Drop a reference; the last frees the table. NULL is a no-op. */
void sol__table_unref(sol__table *t);

#endif
