/* solidata/version.h - library and store schema versions.
 * Thread safety: constant strings; thread-safe. */
#ifndef SOL_VERSION_H
#define SOL_VERSION_H

#include <solidata/status.h>

#define SOL_VERSION_STRING "0.1.0"
#define SOL_VERSION_MAJOR  0
#define SOL_VERSION_MINOR  1
#define SOL_VERSION_PATCH  0

#ifdef __cplusplus
extern "C" {
#endif

/** Version of the linked library ("0.1.0"). Static string. */
SOL_API const char *sol_version(void);

#ifdef __cplusplus
}
#endif
#endif
