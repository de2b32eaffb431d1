/* pseudonym.c - keyed pseudonyms: key files (generate, parse, load with permission checks), id
 * normalisation (codice fiscale, NIR, e-mail), HMAC-SHA-256, and the streaming pseudonymiser. */
#include <solidata/privacy.h>

#include "privacy_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- buffered CSV writer (shared by the module) ------------------------------------------ */

void sol__wbuf_init(sol__wbuf *w, sol_write_fn fn, void *ud)
{
    w->fn = fn;
    w->ud = ud;
    w->n = 0;
    w->rc = SOL_OK;
}

static void wflush(sol__wbuf *w)
{
    if (w->n > 0 && w->rc == SOL_OK)
        w->rc = w->fn(w->ud, w->buf, w->n);
    w->n = 0;
}

void sol__wbuf_put(sol__wbuf *w, const char *s, size_t n)
{
    while (n > 0) {
        if (w->n == sizeof w->buf)
            wflush(w);
        size_t k = sizeof w->buf - w->n;
        if (k > n)
            k = n;
        memcpy(w->buf + w->n, s, k);
        w->n += k;
        s += k;
        n -= k;
    }
}

void sol__wbuf_field(sol__wbuf *w, const char *s, size_t n, int last)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        sol__wbuf_put(w, s, n);
    } else {
        sol__wbuf_put(w, "\"", 1);
        size_t from = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '"') {
                sol__wbuf_put(w, s + from, i + 1 - from);
                sol__wbuf_put(w, "\"", 1);
                from = i + 1;
            }
        }
        sol__wbuf_put(w, s + from, n - from);
        sol__wbuf_put(w, "\"", 1);
    }
    sol__wbuf_put(w, last ? "\n" : ",", 1);
}

sol_status sol__wbuf_flush(sol__wbuf *w, sol_error *err)
{
    wflush(w);
    if (w->rc != SOL_OK)
        return sol__err(err, w->rc, "cannot write the output");
    return SOL_OK;
}

/* ---- normalisation ----------------------------------------------------------------------- */

static const char *const norm_names[] = {"none", "codice_fiscale", "nir", "email"};

sol_status sol_privacy_normalise_parse(const char *name, sol_normalise *out)
{
    for (size_t i = 0; i < sizeof norm_names / sizeof *norm_names; i++) {
        if (strcmp(name, norm_names[i]) == 0) {
            *out = (sol_normalise)i;
            return SOL_OK;
        }
    }
    return SOL_EINVAL;
}

const char *sol_privacy_normalise_name(sol_normalise n)
{
    return (unsigned)n < sizeof norm_names / sizeof *norm_names ? norm_names[n] : "?";
}

/* Check character of a 16-character codice fiscale (DM 23/12/1976, allegato). */
static char cf_check(const char *cf)
{
    static const int odd[36] = {/* 0-9 */ 1, 0,  5, 7, 9, 13, 15, 17, 19, 21,
                                /* A-Z */ 1, 0,  5, 7, 9, 13, 15, 17, 19, 21, 2,  4,  18,
                                20,          11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
    int sum = 0;
    for (int i = 0; i < 15; i++) {
        int c = (unsigned char)cf[i];
        int idx = isdigit(c) ? c - '0' : 10 + (c - 'A');
        if (i % 2 == 0) /* 1st, 3rd, ... character: "dispari" */
            sum += odd[idx];
        else
            sum += isdigit(c) ? c - '0' : c - 'A';
    }
    return (char)('A' + sum % 26);
}

static int is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_digit_or_omocode(int c)
{
    return isdigit(c) || (c != 0 && strchr("LMNPQRSTUV", c) != NULL);
}

static sol_status norm_cf(char *s, size_t n, sol_error *err)
{
    if (n == 11) { /* provisional code: 11 digits, Luhn-style check digit */
        int sum = 0;
        for (size_t i = 0; i < 11; i++) {
            if (!isdigit((unsigned char)s[i]))
                return sol__err(err, SOL_EPARSE,
                                "not a codice fiscale: 11 characters must all be digits");
        }
        for (size_t i = 0; i < 10; i++) {
            int d = s[i] - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }
            sum += d;
        }
        if ((10 - sum % 10) % 10 != s[10] - '0')
            return sol__err(err, SOL_EPARSE, "not a codice fiscale: wrong check digit");
        return SOL_OK;
    }
    if (n != 16)
        return sol__err(err, SOL_EPARSE,
                        "not a codice fiscale: %zu characters, expected 16 (or 11 digits)", n);
    for (size_t i = 0; i < 16; i++) {
        int c = (unsigned char)s[i];
        int ok = (i < 6 || i == 8 || i == 11 || i == 15) ? is_upper(c) : is_digit_or_omocode(c);
        if (i == 8)
            ok = ok && strchr("ABCDEHLMPRST", c) != NULL;
        if (!ok)
            return sol__err(err, SOL_EPARSE,
                            "not a codice fiscale: unexpected '%c' at position %zu", c, i + 1);
    }
    if (cf_check(s) != s[15])
        return sol__err(err, SOL_EPARSE,
                        "not a codice fiscale: wrong check character (%c, "
                        "expected %c)",
                        s[15], cf_check(s));
    return SOL_OK;
}

static sol_status norm_nir(char *s, size_t *n, sol_error *err)
{
    if (*n != 13 && *n != 15)
        return sol__err(err, SOL_EPARSE, "not a NIR: %zu characters, expected 13 or 15", *n);
    uint64_t v = 0;
    for (size_t i = 0; i < 13; i++) {
        int c = (unsigned char)s[i];
        int d;
        if (isdigit(c))
            d = c - '0';
        else if (i == 6 && s[5] == '2' && (c == 'A' || c == 'B'))
            d = -1; /* Corsica: 2A counts as 19, 2B as 18 */
        else
            return sol__err(err, SOL_EPARSE, "not a NIR: unexpected '%c' at position %zu", c,
                            i + 1);
        if (d < 0)
            v = (v / 10) * 100 + (c == 'A' ? 19 : 18);
        else
            v = v * 10 + (uint64_t)d;
    }
    if (s[0] != '1' && s[0] != '2' && s[0] != '3' && s[0] != '4' && s[0] != '7' && s[0] != '8')
        return sol__err(err, SOL_EPARSE, "not a NIR: first digit '%c' is not a valid sex code",
                        s[0]);
    if (*n == 15) {
        if (!isdigit((unsigned char)s[13]) || !isdigit((unsigned char)s[14]))
            return sol__err(err, SOL_EPARSE, "not a NIR: the key must be 2 digits");
        uint64_t key = (uint64_t)((s[13] - '0') * 10 + (s[14] - '0'));
        if (97 - v % 97 != key)
            return sol__err(err, SOL_EPARSE, "not a NIR: wrong key %02u (expected %02u)",
                            (unsigned)key, (unsigned)(97 - v % 97));
        *n = 13;
        s[13] = '\0';
    }
    return SOL_OK;
}

static sol_status norm_email(char *s, size_t n, sol_error *err)
{
    size_t at = n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '@') {
            if (at != n)
                return sol__err(err, SOL_EPARSE, "not an e-mail address: more than one '@'");
            at = i;
        } else if (c == ' ' || c == '\t' || c < 0x20) {
            return sol__err(err, SOL_EPARSE, "not an e-mail address: blank or control character");
        }
        if (c < 0x80)
            s[i] = (char)tolower(c);
    }
    if (at == n || at == 0 || at == n - 1)
        return sol__err(err, SOL_EPARSE, "not an e-mail address: expected text@domain");
    return SOL_OK;
}

sol_status sol_privacy_normalise_id(sol_normalise kind, const char *id, size_t len, char *out,
                                    size_t cap, size_t *out_len, sol_error *err)
{
    while (len > 0 && (*id == ' ' || *id == '\t'))
        id++, len--;
    while (len > 0 && (id[len - 1] == ' ' || id[len - 1] == '\t'))
        len--;
    if (len == 0)
        return sol__err(err, SOL_EPARSE, "empty id");
    if (len > SOL_MAX_ID || len + 1 > cap)
        return sol__err(err, SOL_ELIMIT, "id longer than %u bytes", SOL_MAX_ID);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)id[i];
        if (kind == SOL_NORM_CODICE_FISCALE && (c == ' ' || c == '\t'))
            continue;
        if (kind == SOL_NORM_NIR && (c == ' ' || c == '\t' || c == '.' || c == '-'))
            continue;
        out[n++] = (kind == SOL_NORM_CODICE_FISCALE || kind == SOL_NORM_NIR) && c < 0x80
                       ? (char)toupper(c)
                       : (char)c;
    }
    out[n] = '\0';
    sol_status rc = SOL_OK;
    if (kind == SOL_NORM_CODICE_FISCALE)
        rc = norm_cf(out, n, err);
    else if (kind == SOL_NORM_NIR)
        rc = norm_nir(out, &n, err);
    else if (kind == SOL_NORM_EMAIL)
        rc = norm_email(out, n, err);
    if (rc != SOL_OK)
        return rc;
    *out_len = n;
    return SOL_OK;
}

/* ---- HMAC, keys ------------------------------------------------------------------------------ */

void sol_privacy_hmac_sha256(const uint8_t *key, size_t key_len, const void *msg, size_t n,
                             uint8_t mac[32])
{
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, key, key_len);
    crypto_auth_hmacsha256_update(&s, msg, n);
    crypto_auth_hmacsha256_final(&s, mac);
    sodium_memzero(&s, sizeof s);
}

void sol_privacy_wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}

sol_status sol_privacy_keygen(const char *path, sol_error *err)
{
    if (sodium_init() < 0)
        return sol__err(err, SOL_EIO, "libsodium failed to initialise");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return sol__err_at(err, SOL_EDUPLICATE, path, 0, 0,
                               "already exists; a key is never overwritten (losing it makes "
                               "every pseudonym unlinkable): choose another path");
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot create the key file: %s",
                           strerror(errno));
    }
    uint8_t key[SOL_PRIVACY_KEY_BYTES];
    char hex[2 * SOL_PRIVACY_KEY_BYTES + 2];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex - 1, key, sizeof key);
    hex[2 * SOL_PRIVACY_KEY_BYTES] = '\n';
    sol_status rc = SOL_OK;
    if (fchmod(fd, 0600) != 0 || write(fd, hex, sizeof hex - 1) != (ssize_t)(sizeof hex - 1) ||
        fsync(fd) != 0)
        rc =
            sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write the key file: %s", strerror(errno));
    if (close(fd) != 0 && rc == SOL_OK)
        rc =
            sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write the key file: %s", strerror(errno));
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    if (rc != SOL_OK)
        unlink(path);
    return rc;
}

sol_status sol_privacy_key_parse(const char *text, size_t len, uint8_t key[SOL_PRIVACY_KEY_BYTES],
                                 sol_error *err)
{
    size_t n = len;
    if (n > 0 && text[n - 1] == '\n')
        n--;
    if (n > 0 && text[n - 1] == '\r')
        n--;
    if (n != 2 * SOL_PRIVACY_KEY_BYTES)
        return sol__err(err, SOL_EPARSE,
                        "a key file holds %u hex characters (and a newline), this one %zu bytes; "
                        "make one with 'solidata keygen'",
                        2 * SOL_PRIVACY_KEY_BYTES, len);
    size_t bin_len = 0;
    if (sodium_hex2bin(key, SOL_PRIVACY_KEY_BYTES, text, n, NULL, &bin_len, NULL) != 0 ||
        bin_len != SOL_PRIVACY_KEY_BYTES) {
        sodium_memzero(key, SOL_PRIVACY_KEY_BYTES);
        return sol__err(err, SOL_EPARSE, "a key file holds hex characters only (0-9, a-f)");
    }
    if (sodium_is_zero(key, SOL_PRIVACY_KEY_BYTES))
        return sol__err(err, SOL_EPARSE,
                        "the key is all zeros, which anyone can guess; make a secret one with "
                        "'solidata keygen'");
    return SOL_OK;
}

sol_status sol_privacy_key_load(const char *path, uint8_t key[SOL_PRIVACY_KEY_BYTES],
                                sol_error *err)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot open the key file: %s",
                           strerror(errno));
    struct stat sb;
    char text[2 * SOL_PRIVACY_KEY_BYTES + 8];
    sol_status rc;
    if (fstat(fd, &sb) != 0) {
        rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot stat the key file: %s", strerror(errno));
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = sol__err_at(err, SOL_EDENIED, path, 0, 0, "the key file is not a regular file");
        goto done;
    }
    if (sb.st_mode & 077) {
        rc = sol__err_at(err, SOL_EDENIED, path, 0, 0,
                         "the key file is accessible to group or others (mode %04o); run "
                         "'chmod 600 %s'",
                         (unsigned)(sb.st_mode & 07777), path);
        goto done;
    }
    ssize_t got = read(fd, text, sizeof text);
    if (got < 0) {
        rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot read the key file: %s", strerror(errno));
        goto done;
    }
    rc = sol_privacy_key_parse(text, (size_t)got, key, err);
    if (rc != SOL_OK)
        sol__err_where(err, path);
done:
    sodium_memzero(text, sizeof text);
    close(fd);
    return rc;
}

/* The pseudonym from an HMAC state already keyed (copied, so the pads are hashed only once). */
static sol_status keyed_pseudonym(const crypto_auth_hmacsha256_state *keyed, sol_normalise n,
                                  const char *id, size_t len, char hex[65], sol_error *err)
{
    char norm[SOL_MAX_ID + 1];
    size_t nl;
    sol_status rc = sol_privacy_normalise_id(n, id, len, norm, sizeof norm, &nl, err);
    if (rc != SOL_OK)
        return rc;
    crypto_auth_hmacsha256_state s = *keyed;
    uint8_t mac[32];
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)norm, nl);
    crypto_auth_hmacsha256_final(&s, mac);
    sodium_bin2hex(hex, 65, mac, sizeof mac);
    sodium_memzero(&s, sizeof s);
    return SOL_OK;
}

sol_status sol_privacy_pseudonym(const uint8_t key[SOL_PRIVACY_KEY_BYTES], sol_normalise n,
                                 const char *id, size_t len, char hex[65], sol_error *err)
{
    char norm[SOL_MAX_ID + 1];
    size_t nl;
    sol_status rc = sol_privacy_normalise_id(n, id, len, norm, sizeof norm, &nl, err);
    if (rc != SOL_OK)
        return rc;
    uint8_t mac[32];
    sol_privacy_hmac_sha256(key, SOL_PRIVACY_KEY_BYTES, norm, nl, mac);
    sodium_bin2hex(hex, 65, mac, sizeof mac);
    sodium_memzero(norm, sizeof norm);
    return SOL_OK;
}

/* ---- streaming pseudonymiser ----------------------------------------------------------------- */

/* Kept columns whose names suggest a direct identifier get a warning in the report. */
static int looks_identifying(const char *name)
{
    static const char *const exact[] = {"cf",      "nir",  "ssn",    "tel",   "via",
                                        "cap",     "iban", "nome",   "name",  "cognome",
                                        "surname", "nom",  "prenom", "prénom"};
    static const char *const part[] = {"first_name",     "last_name",     "firstname", "lastname",
                                       "surname",        "cognome",       "indirizzo", "address",
                                       "adresse",        "telefono",      "phone",     "mobile",
                                       "cellulare",      "email",         "e-mail",    "mail",
                                       "codice_fiscale", "codicefiscale", "fiscal",    "birth",
                                       "nascita",        "passport",      "iban"};
    char low[128];
    size_t n = strlen(name);
    if (n >= sizeof low)
        n = sizeof low - 1;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        if (strcmp(low, exact[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof part / sizeof *part; i++)
        if (strstr(low, part[i]) != NULL)
            return 1;
    return 0;
}

void sol_pseudonymise_report_free(sol_pseudonymise_report *rep)
{
    if (rep == NULL)
        return;
    for (size_t i = 0; i < rep->n_dropped; i++)
        sol__free(rep->dropped[i]);
    for (size_t i = 0; i < rep->n_suspect; i++)
        sol__free(rep->suspect[i]);
    sol__free(rep->dropped);
    sol__free(rep->suspect);
    memset(rep, 0, sizeof *rep);
}

sol_status sol_privacy_pseudonymise(sol_csv *in, const uint8_t key[SOL_PRIVACY_KEY_BYTES],
                                    const sol_pseudonymise_opts *o, sol_write_fn out, void *ud,
                                    sol_pseudonymise_report *rep, sol_error *err)
{
    const char *file = sol_csv_name(in);
    size_t nc = sol_csv_ncols(in);
    sol_status rc = SOL_ENOMEM;
    unsigned char *drop = NULL;
    sol__wbuf *w = NULL;
    sol_pseudonymise_report r;
    memset(&r, 0, sizeof r);
    if (o == NULL || o->id_column == NULL || *o->id_column == '\0')
        return sol__err(err, SOL_EINVAL, "no id column given (--id-column)");
    long idc = sol_csv_colindex(in, o->id_column);
    if (idc < 0)
        return sol__err_at(err, SOL_ENOTFOUND, file, 1, 0,
                           "no column named '%s' in the header (--id-column)", o->id_column);
    if ((drop = sol__calloc(nc ? nc : 1, 1)) == NULL || (w = sol__malloc(sizeof *w)) == NULL ||
        (r.dropped = sol__calloc(o->n_drop + 1, sizeof *r.dropped)) == NULL ||
        (r.suspect = sol__calloc(nc + 1, sizeof *r.suspect)) == NULL)
        goto nomem;
    for (size_t i = 0; i < o->n_drop; i++) {
        long c = sol_csv_colindex(in, o->drop[i]);
        if (c < 0) {
            rc = sol__err_at(err, SOL_ENOTFOUND, file, 1, 0,
                             "no column named '%s' in the header (--drop); nothing written",
                             o->drop[i]);
            goto fail;
        }
        if (c == idc) {
            rc = sol__err(err, SOL_EINVAL, "the id column '%s' cannot also be dropped",
                          o->id_column);
            goto fail;
        }
        if (!drop[c]) {
            drop[c] = 1;
            if ((r.dropped[r.n_dropped++] = sol__strdup(sol_csv_colname(in, (size_t)c))) == NULL)
                goto nomem;
        }
    }
    for (size_t i = 0; i < nc; i++) {
        if (!drop[i] && (long)i != idc && looks_identifying(sol_csv_colname(in, i)) &&
            (r.suspect[r.n_suspect++] = sol__strdup(sol_csv_colname(in, i))) == NULL)
            goto nomem;
    }
    crypto_auth_hmacsha256_state keyed; /* the key's inner and outer pads, hashed once */
    crypto_auth_hmacsha256_init(&keyed, key, SOL_PRIVACY_KEY_BYTES);
    size_t last = nc;
    while (last > 0 && drop[last - 1])
        last--;
    sol__wbuf_init(w, out, ud);
    for (size_t i = 0; i < nc; i++) {
        if (!drop[i]) {
            const char *name = sol_csv_colname(in, i);
            sol__wbuf_field(w, name, strlen(name), i + 1 == last);
        }
    }
    while ((rc = sol_csv_next(in, err)) == SOL_OK) {
        r.rows_in++;
        size_t len;
        const char *id = sol_csv_field(in, (size_t)idc, &len);
        char hex[65];
        sol_error e2;
        sol_status s = keyed_pseudonym(&keyed, o->normalise, id, len, hex, &e2);
        if (s != SOL_OK) {
            if (o->skip_invalid && s == SOL_EPARSE) {
                r.rows_skipped++;
                continue;
            }
            rc = sol__err_at(err, s, file, sol_csv_line(in), sol_csv_col(in, (size_t)idc),
                             "%s in the id column '%s'", e2.msg, o->id_column);
            goto fail;
        }
        for (size_t i = 0; i < nc; i++) {
            if (drop[i])
                continue;
            if ((long)i == idc) {
                sol__wbuf_field(w, hex, 64, i + 1 == last);
            } else {
                const char *f = sol_csv_field(in, i, &len);
                sol__wbuf_field(w, f, len, i + 1 == last);
            }
        }
        r.rows_out++;
        if (w->rc != SOL_OK)
            break;
    }
    sodium_memzero(&keyed, sizeof keyed);
    if (rc != SOL_EOF && rc != SOL_OK)
        goto fail;
    if ((rc = sol__wbuf_flush(w, err)) != SOL_OK)
        goto fail;
    sol_csv_sha256_hex(in, r.input_sha256);
    sol__free(drop);
    sol__free(w);
    if (rep)
        *rep = r;
    else
        sol_pseudonymise_report_free(&r);
    return SOL_OK;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    sol__free(drop);
    sol__free(w);
    sol_pseudonymise_report_free(&r);
    return rc;
}
