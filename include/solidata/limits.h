/* solidata/limits.h - every cap on input-fed memory, in one place (curl's DYN_* idea).
 * Thread safety: constants only. */
#ifndef SOL_LIMITS_H
#define SOL_LIMITS_H

/** Longest CSV field accepted, in bytes. A longer one is an error, not an allocation. */
#define SOL_MAX_CSV_FIELD (1u << 20)
/** Longest CSV record (all fields of one row), in bytes. */
#define SOL_MAX_CSV_RECORD (16u << 20)
/** Most fields in one CSV record (wide tables with many indicators fit easily). */
#define SOL_MAX_CSV_FIELDS 20000u
/** Longest code (area, indicator, period) accepted, in bytes. */
#define SOL_MAX_CODE 256u
/** Longest label or name accepted, in bytes. */
#define SOL_MAX_LABEL 4096u
/** Largest geometry of one area, as GeoJSON text, in bytes. */
#define SOL_MAX_GEOMETRY (64u << 20)
/** Most features in one area layer. */
#define SOL_MAX_AREAS 10000000u

/** Most indicators in one composite index spec. */
#define SOL_MAX_INDEX_INDICATORS 4096u
/** Largest JSON index spec accepted, in bytes. */
#define SOL_MAX_INDEX_SPEC (4u << 20)
/** Most Monte Carlo replications of one index run. */
#define SOL_MAX_INDEX_REPS 1000000u
/** Most periods one index reads from the store. */
#define SOL_MAX_INDEX_PERIODS 1000u
/** Most stored Monte Carlo ranks (scored rows x replications, 4 bytes each): 4 GiB. */
#define SOL_MAX_INDEX_MC_CELLS (1ull << 30)
/** Largest SVG a map may produce, in bytes. */
#define SOL_MAX_SVG (256u << 20)
/** Most values Jenks natural breaks accepts (it costs O(n^2 k) time). */
#define SOL_MAX_JENKS_VALUES 20000u

/** Most rows of survey microdata held in memory (person or household records). */
#define SOL_MAX_MICRODATA_ROWS 1000000000u
/** Most columns kept from one microdata file. */
#define SOL_MAX_MICRODATA_COLS 256u
/** Most distinct codes in one microdata code column (domains, strata, PSUs). */
#define SOL_MAX_MICRODATA_LEVELS 50000000u
/** Most indicators in one multidimensional poverty (MPI) spec. */
#define SOL_MAX_MPI_INDICATORS 256u
/** Largest MPI spec, in bytes. */
#define SOL_MAX_MPI_SPEC (1u << 20)
/** Most areas in one Fay-Herriot fit. */
#define SOL_MAX_FH_AREAS 100000000u
/** Most regression terms (intercept and dummies included) in one Fay-Herriot fit. */
#define SOL_MAX_FH_TERMS 1000u
/** Most bootstrap replicates of the Fay-Herriot arcsin MSE (each refits the model). */
#define SOL_MAX_FH_BOOT 100000u

/** Most rows of one data file read by evaluate/decide in file mode. */
#define SOL_MAX_EVAL_ROWS 10000000u
/** Most bytes of cell text kept from one such file. */
#define SOL_MAX_EVAL_BYTES (1ull << 30)
/** Most regressors in one difference-in-differences model (after the unit effects are absorbed:
 *  interaction, controls, period effects, event-study terms). */
#define SOL_MAX_DID_TERMS 4000u
/** Most units (treated + donors) and predictors in one synthetic control. */
#define SOL_MAX_SYNTH_UNITS      5000u
#define SOL_MAX_SYNTH_PREDICTORS 1000u
/** Largest JSON spec of evaluate/decide (synth spec, options file), in bytes. */
#define SOL_MAX_DECIDE_SPEC (4u << 20)
/** Most options in one prioritisation, and most areas, groups and criteria they name. */
#define SOL_MAX_OPTIONS      5000u
#define SOL_MAX_OPTION_ITEMS 1000u
/** Most options for which the budget explanation re-solves the allocation (2 x options solves). */
#define SOL_MAX_OPTIONS_EXPLAINED 400u

/** Most periods in one time series, gaps included (8,000 years of months). */
#define SOL_MAX_TS_LENGTH 100000u
/** Most series read at once (areas x ids of one file or indicator). */
#define SOL_MAX_TS_SERIES 10000000u
/** Longest forecast horizon, in periods. */
#define SOL_MAX_TS_HORIZON 10000u

/** Longest account name, in bytes. */
#define SOL_MAX_ACCOUNT_NAME 64u
/** Shortest and longest password accepted, in bytes. */
#define SOL_MIN_PASSWORD 8u
#define SOL_MAX_PASSWORD 1024u
/** Signed-in sessions the server keeps at once (the oldest goes first), and their lifetime. */
#define SOL_MAX_SESSIONS    4096u
#define SOL_SESSION_SECONDS (8u * 3600u)
/** Failed logins one IP address may make within SOL_LOGIN_WINDOW_SECONDS before 429. */
#define SOL_LOGIN_MAX_FAILURES   5u
#define SOL_LOGIN_WINDOW_SECONDS 60u
/** IP addresses the login rate limiter tracks at once. */
#define SOL_LOGIN_TRACKED_IPS 4096u

/** Most row categories of one tabulated table (solidata tabulate). */
#define SOL_MAX_TAB_ROWS 1000000u
/** Most column categories of one tabulated table. */
#define SOL_MAX_TAB_COLS 10000u
/** Most entries of one tabulated table, margins included (a dense grid is held in memory). */
#define SOL_MAX_TAB_CELLS (1u << 24)
/** Most bytes of the right-hand file of `solidata link`, held in memory for the hash join. */
#define SOL_MAX_LINK_BYTES (4ull << 30)
/** Largest variance of the discrete Gaussian mechanism (sigma 10,000): keeps its exact rational
 *  arithmetic inside 128-bit integers. */
#define SOL_MAX_DP_SIGMA2 100000000u
/** Longest identifier accepted for pseudonymisation, in bytes. */
#define SOL_MAX_ID 1024u

/* ---- the server under attack (src/server) ---------------------------------------------------- */
/** Failed logins for one account name (compared ignoring case), from any address, within
 *  SOL_LOGIN_WINDOW_SECONDS before that name answers 429. */
#define SOL_LOGIN_MAX_ACCOUNT_FAILURES 10u
/** Account names the login rate limiter tracks at once. */
#define SOL_LOGIN_TRACKED_ACCOUNTS 4096u
/** Audit entries for failed or refused logins one address may cause per SOL_LOGIN_WINDOW_SECONDS;
 *  the rest are counted and written as one "login.audit_suppressed" entry. */
#define SOL_LOGIN_AUDIT_ROWS 10u
/** Signed-in sessions one account may hold at once; a new sign-in beyond ends that account's
 *  oldest session (never another account's). */
#define SOL_MAX_SESSIONS_PER_ACCOUNT 16u
/** Bytes the server's response cache may hold (bodies, their gzip twins and keys). */
#define SOL_MAX_SERVER_CACHE_BYTES (96u << 20)
/** Most query arguments in one request (414 beyond). */
#define SOL_MAX_QUERY_ARGS 64u
/** Longest request target (path and query), in bytes (414 beyond). */
#define SOL_MAX_REQUEST_TARGET 8192u
/** Seconds a client may take to send one whole request (headers and body) before the
 *  connection is closed, however slowly it trickles bytes. */
#define SOL_MAX_REQUEST_SECONDS 30u

/** Largest table file (CSV or workbook) read whole into memory to find its header, encoding
 *  and totals; a larger CSV is streamed as UTF-8 with its header on the first line. */
#define SOL_MAX_TABLE_BYTES (64u << 20)

/* the dashboard's map topology of one zoom, and its values reply (src/run/map_topo.c, map.c) */
#define SOL_MAX_MAP_REPLY (256u << 20)

#endif
