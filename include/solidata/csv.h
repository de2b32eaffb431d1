/* solidata/csv.h - a streaming CSV reader: comma, semicolon or tab; quoted fields; CRLF; UTF-8
 * with or without BOM, validated; every field and record bounded by solidata/limits.h.
 * Thread safety: a reader belongs to one thread; distinct readers may run in parallel. */
#ifndef SOL_CSV_H
#define SOL_CSV_H

#include <solidata/limits.h>
#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sol_csv sol_csv;

typedef struct sol_csv_opts {
    char delimiter;   /* ',', ';' or '\t'; 0 = detect from the header line */
    size_t max_field; /* 0 = SOL_MAX_CSV_FIELD */
    int raw;          /* 1: no header; sol_csv_next returns every record as it is, blank ones
                         and ones of any field count (sol_csv_nfields) */
    int char_columns; /* 1 (memory only): columns count characters, not bytes (for text converted
                         to UTF-8 from a one-byte encoding, columns stay those of the file) */
} sol_csv_opts;

/** Open `path` ("-" is stdin) and read its header. `o` may be NULL for defaults.
 *  Errors: SOL_EIO (missing/unreadable: err names the file and the system's reason), SOL_EPARSE,
 *  SOL_EENCODING, SOL_ELIMIT (err has file:line:column). *out set only on success. */
SOL_API sol_status sol_csv_open(const char *path, const sol_csv_opts *o, sol_csv **out,
                                sol_error *err);
/** Open over a caller-owned memory buffer (fuzzing, tests); `name` is used in messages.
 *  The buffer must outlive the reader. */
SOL_API sol_status sol_csv_open_mem(const char *data, size_t len, const char *name,
                                    const sol_csv_opts *o, sol_csv **out, sol_error *err);
SOL_API void sol_csv_close(sol_csv *c);

/** Read the next record. SOL_OK with a record; SOL_EOF at the end; an error otherwise, with
 *  file:line:column in err. Records whose field count differs from the header's are errors
 *  (SOL_EPARSE, "expected N fields"). Blank lines are skipped. */
SOL_API sol_status sol_csv_next(sol_csv *c, sol_error *err);

/** Fields of the current record (raw mode: any number; otherwise sol_csv_ncols). */
SOL_API size_t sol_csv_nfields(const sol_csv *c);
/** A second reader over the same data from its first record: the same file opened again, or the
 *  same table (sol_table_open). Memory readers cannot be reopened (SOL_EINVAL). A file opened
 *  again keeps no digest (sol_csv_sha256_hex gives ""): the first reader's is the file's. */
SOL_API sol_status sol_csv_reopen(const sol_csv *c, sol_csv **out, sol_error *err);

/** Number of header columns (= fields of every record). */
SOL_API size_t sol_csv_ncols(const sol_csv *c);
/** Header name of column i (BOM and surrounding blanks removed). Borrowed: valid until close. */
SOL_API const char *sol_csv_colname(const sol_csv *c, size_t i);
/** Index of the column named `name` (exact match), or -1. */
SOL_API long sol_csv_colindex(const sol_csv *c, const char *name);
/** Field i of the current record, NUL-terminated; *len (may be NULL) gets its length.
 *  Borrowed: valid until the next sol_csv_next or close. */
SOL_API const char *sol_csv_field(const sol_csv *c, size_t i, size_t *len);
/** Physical line (1-based) where the current record starts. */
SOL_API unsigned long sol_csv_line(const sol_csv *c);
/** 1-based byte column where field i of the current record starts on its line. */
SOL_API unsigned long sol_csv_col(const sol_csv *c, size_t i);
/** The delimiter in use (detected or given). */
SOL_API char sol_csv_delimiter(const sol_csv *c);
/** The name given at open (the path), for messages. Borrowed until close. */
SOL_API const char *sol_csv_name(const sol_csv *c);
/** Bytes consumed so far (for progress). */
SOL_API uint64_t sol_csv_bytes(const sol_csv *c);
/** SHA-256 of every byte read so far as 64 hex characters + NUL; complete after SOL_EOF. */
SOL_API void sol_csv_sha256_hex(const sol_csv *c, char hex[65]);

/** Parse a number as found in statistical CSV files: blanks trimmed, '.' decimal point, and ','
 *  as decimal comma when `comma_ok`. SOL_ETYPE when not a finite decimal number. */
SOL_API sol_status sol_parse_number(const char *s, size_t len, int comma_ok, double *out);
/** 1 when the text is a missing-value marker: empty, "NA", "..", ":", "NaN", "N/A". */
SOL_API int sol_is_missing(const char *s, size_t len);

/* ---- reading tables as people have them (sheet.c) ---------------------------------------- */

typedef enum sol_encoding {
    SOL_ENC_AUTO = 0, /* UTF-8 when valid, else Windows-1252 / ISO-8859-1 / ISO-8859-15 */
    SOL_ENC_UTF8,
    SOL_ENC_WINDOWS_1252,
    SOL_ENC_ISO_8859_1,
    SOL_ENC_ISO_8859_15
} sol_encoding;

typedef struct sol_read_opts {
    char delimiter;           /* CSV: 0 = detect from the first lines */
    sol_encoding encoding;    /* CSV: SOL_ENC_AUTO = detect */
    const char *sheet;        /* XLSX/ODS/XLS: a sheet's name or 1-based number */
    uint64_t header_row;      /* the header's line (row); 0 = the first that looks like one */
    char decimal_mark;        /* ',' or '.'; 0 = decided from the cells */
    const char *area_field;   /* the area column: total rows and blank area cells */
    const char *period_field; /* the period column: dates stored as numbers */
    const char *value_fields; /* columns that must hold numbers (comma-separated); NULL:
                                 every column but the keys (a wide table) */
    const char *skip_fields;  /* columns that are neither (comma-separated) */
    int years_as_columns;     /* 1: read a table whose value columns are years as long */
    const char *indicator;    /* years as columns: the indicator's code (default: the sheet's
                                 or the file's name) */
} sol_read_opts;

typedef struct sol_read_info {
    char format[8];                   /* "csv", "xlsx", "ods", "xls" */
    char encoding[16];                /* "UTF-8", "Windows-1252", "ISO-8859-1", "ISO-8859-15" */
    int encoding_detected;            /* 1: detected (not given); 8-bit text converted to UTF-8 */
    char sheet[128];                  /* the sheet read */
    int sheets;                       /* sheets in the workbook */
    int64_t header_line;              /* line (row) of the header */
    int64_t blank_rows;               /* blank rows below the header, skipped */
    int64_t total_rows;               /* total and subtotal rows skipped */
    int64_t total_first_line;         /* the first one's line */
    char total_first_label[64];       /* and its label */
    int64_t formula_cells;            /* cells holding a formula, read as their computed values */
    int64_t serial_dates;             /* period cells that were dates stored as day numbers */
    int64_t numbers_rewritten;        /* cells with thousands separators, spaces, % or a decimal
                                         comma read as numbers */
    char percent_columns[256];        /* columns whose cells carried '%' (comma-separated) */
    char decimal_mark;                /* the decimal mark used for ambiguous cells (0: none) */
    int64_t year_columns;             /* years as columns: how many */
    char indicator[SOL_MAX_CODE + 1]; /* years as columns: the indicator's code */
    char layout[24];                  /* "wide", "long", "years as columns", "sdmx" */
} sol_read_info;

/** Open a table as people have it: CSV in UTF-8 (BOM or not), Windows-1252, ISO-8859-1 or -15
 *  (detected and converted), or a sheet of an XLSX, ODS or XLS workbook (GDAL); its header found
 *  below title lines; blank rows and total/subtotal rows (in the area column) skipped and
 *  counted; numbers written with thousands separators, '%' or a decimal comma rewritten as plain
 *  numbers; with `years_as_columns`, columns 2015, 2016, ... read as rows (area, period,
 *  indicator, value[, flags]). `info` (may be NULL) gets what was found. Line and column numbers
 *  of the reader are those of the file (for spreadsheets: row and column number).
 *  Errors: SOL_EIO, SOL_EPARSE (a workbook of several sheets without `sheet`: the message lists
 *  them; not a table at all), SOL_EENCODING, SOL_ETYPE (a column of numbers with a cell that is
 *  not one; an ambiguous "1.234" without a decimal mark), SOL_ELIMIT; err has file:line:column.
 *  *out set only on success; close it with sol_csv_close. */
SOL_API sol_status sol_table_open(const char *path, const sol_read_opts *o, sol_csv **out,
                                  sol_read_info *info, sol_error *err);

/** Describe `info` in sentences for people, in the current language, one call of `note` per
 *  sentence (the encoding, the header's line, rows skipped, formulas, dates, numbers, layout). */
SOL_API void sol_read_info_describe(const sol_read_info *info,
                                    void (*note)(void *ud, const char *sentence), void *ud);

#ifdef __cplusplus
}
#endif
#endif
