/* solidata/limits.h - every cap on input-fed memory, in one place (curl's DYN_* idea). */
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
/** Most stored Monte Carlo ranks (scored rows x replications, 4 bytes each): 4 GiB. */
#define SOL_MAX_INDEX_MC_CELLS (1ull << 30)

/** Longest account name, in bytes. */
#define SOL_MAX_ACCOUNT_NAME 64u
/** Shortest and longest password accepted, in bytes. */
#define SOL_MIN_PASSWORD 8u
#define SOL_MAX_PASSWORD 1024u
/** Signed-in sessions the server keeps at once (the oldest goes first), and their lifetime. */
#define SOL_MAX_SESSIONS 4096u
#define SOL_SESSION_SECONDS (8u * 3600u)
/** Failed logins one IP address may make within SOL_LOGIN_WINDOW_SECONDS before 429. */
#define SOL_LOGIN_MAX_FAILURES 5u
#define SOL_LOGIN_WINDOW_SECONDS 60u
/** IP addresses the login rate limiter tracks at once. */
#define SOL_LOGIN_TRACKED_IPS 4096u

#endif
