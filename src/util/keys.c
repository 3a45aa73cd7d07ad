/* The key file: creating, loading, checking and rotating it, and holding its keys in
 * locked, wiped memory. Key material never appears in an error message. */
#include "util/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/xmalloc.h"

#define DATA_KEY_BYTES crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define LOOKUP_KEY_BYTES 32
#define MAX_FILE_BYTES (1024 * 1024)
/* Versions stay far from INT_MAX so "v<version>." always fits and +1 never overflows. */
#define MAX_VERSION 999999999

struct data_key {
	int version;
	unsigned char key[DATA_KEY_BYTES];
};

struct jz_keys {
	struct data_key *data; /* n_data entries, in file order */
	int n_data;
	int current; /* index in data of the highest version */
	unsigned char lookup[LOOKUP_KEY_BYTES];
	bool has_lookup;
	bool has_card;
	unsigned char card_sk[crypto_sign_SECRETKEYBYTES];
	unsigned char card_pk[crypto_sign_PUBLICKEYBYTES];
	size_t data_bytes; /* allocated size of data, for wiping and unlocking */
	bool locked, data_locked;
};

static const char header[] =
    "# Jiazheng keys: keep secret, back up apart from the database (docs/keys.md)\n";

static char *
errno_message(const char *what, const char *path)
{
	return jz_xasprintf("%s %s: %s", what, path, strerror(errno));
}

/* Reads the whole key file into a NUL-terminated buffer (caller wipes and frees), after
 * checking that it is a regular file no one else can read or write. */
static char *
read_key_file(const char *path, size_t *len, char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = errno_message("cannot open key file", path);
		return NULL;
	}
	struct stat st;
	char *text = NULL;
	if (fstat(fd, &st) != 0) {
		*err = errno_message("cannot stat key file", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = jz_xasprintf("key file %s is not a regular file", path);
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		*err = jz_xasprintf("key file %s is accessible to group or others (mode %04o); "
		                    "it must be 0600: run chmod 600 %s",
		                    path, (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	if (st.st_size > MAX_FILE_BYTES) {
		*err = jz_xasprintf("key file %s is too large to be a key file", path);
		goto out;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	text = jz_xmalloc(cap);
	while (n < cap - 1) {
		ssize_t r = read(fd, text + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = errno_message("cannot read key file", path);
			sodium_memzero(text, cap);
			free(text);
			text = NULL;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	text[n] = '\0';
	*len = n;
out:
	close(fd);
	return text;
}

/* Decodes standard base64 of exactly `want` bytes into out. */
static bool
decode_key(const char *b64, size_t b64_len, unsigned char *out, size_t want)
{
	size_t got = 0;
	const char *end = NULL;
	if (sodium_base642bin(out, want, b64, b64_len, NULL, &got, &end,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + b64_len || got != want) {
		sodium_memzero(out, want);
		return false;
	}
	return true;
}

/* A version: decimal digits without a leading zero, 1..MAX_VERSION; -1 otherwise. */
static int
parse_version(const char *s, size_t n)
{
	if (n == 0 || n > 9 || s[0] == '0')
		return -1;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* True when the card key's public half is the one its seed gives. */
static bool
card_key_consistent(const unsigned char sk[crypto_sign_SECRETKEYBYTES],
                    unsigned char pk_out[crypto_sign_PUBLICKEYBYTES])
{
	unsigned char seed[crypto_sign_SEEDBYTES], sk2[crypto_sign_SECRETKEYBYTES];
	crypto_sign_ed25519_sk_to_seed(seed, sk);
	crypto_sign_seed_keypair(pk_out, sk2, seed);
	bool ok = sodium_memcmp(sk, sk2, sizeof sk2) == 0;
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(sk2, sizeof sk2);
	return ok;
}

struct token {
	const char *s;
	size_t n;
};

static const char line_forms[] =
    "expected 'data-key VERSION KEY', 'lookup-key KEY' or 'card-sign-key KEY'";

/* Parses one line (without its newline) into k. Returns false and sets *err on a fault. */
static bool
parse_line(jz_keys *k, const char *line, size_t len, const char *path, int lineno, char **err)
{
	struct token tok[4];
	int ntok = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i == len)
			break;
		if (ntok == 0 && line[i] == '#')
			return true;
		size_t start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			i++;
		if (ntok == 4) {
			ntok++;
			break;
		}
		tok[ntok].s = line + start;
		tok[ntok].n = i - start;
		ntok++;
	}
	if (ntok == 0)
		return true;
#define IS(t, lit) ((t).n == sizeof(lit) - 1 && memcmp((t).s, lit, sizeof(lit) - 1) == 0)
	if (IS(tok[0], "data-key")) {
		if (ntok != 3) {
			*err = jz_xasprintf("key file %s line %d: %s", path, lineno, line_forms);
			return false;
		}
		int v = parse_version(tok[1].s, tok[1].n);
		if (v < 0) {
			*err = jz_xasprintf("key file %s line %d: the data-key version must be a "
			                    "whole number from 1 to %d",
			                    path, lineno, MAX_VERSION);
			return false;
		}
		for (int j = 0; j < k->n_data; j++) {
			if (k->data[j].version == v) {
				*err =
				    jz_xasprintf("key file %s line %d: data-key %d appears twice",
				                 path, lineno, v);
				return false;
			}
		}
		struct data_key *d = &k->data[k->n_data];
		if (!decode_key(tok[2].s, tok[2].n, d->key, sizeof d->key)) {
			*err = jz_xasprintf("key file %s line %d: data-key %d is not base64 of %d "
			                    "bytes",
			                    path, lineno, v, (int)sizeof d->key);
			return false;
		}
		d->version = v;
		if (k->n_data == 0 || v > k->data[k->current].version)
			k->current = k->n_data;
		k->n_data++;
	} else if (IS(tok[0], "lookup-key")) {
		if (ntok != 2) {
			*err = jz_xasprintf("key file %s line %d: %s", path, lineno, line_forms);
			return false;
		}
		if (k->has_lookup) {
			*err = jz_xasprintf("key file %s line %d: lookup-key appears twice", path,
			                    lineno);
			return false;
		}
		if (!decode_key(tok[1].s, tok[1].n, k->lookup, sizeof k->lookup)) {
			*err = jz_xasprintf("key file %s line %d: lookup-key is not base64 of %d "
			                    "bytes",
			                    path, lineno, (int)sizeof k->lookup);
			return false;
		}
		k->has_lookup = true;
	} else if (IS(tok[0], "card-sign-key")) {
		if (ntok != 2) {
			*err = jz_xasprintf("key file %s line %d: %s", path, lineno, line_forms);
			return false;
		}
		if (k->has_card) {
			*err = jz_xasprintf("key file %s line %d: card-sign-key appears twice",
			                    path, lineno);
			return false;
		}
		if (!decode_key(tok[1].s, tok[1].n, k->card_sk, sizeof k->card_sk)) {
			*err =
			    jz_xasprintf("key file %s line %d: card-sign-key is not base64 of %d "
			                 "bytes",
			                 path, lineno, (int)sizeof k->card_sk);
			return false;
		}
		if (!card_key_consistent(k->card_sk, k->card_pk)) {
			*err = jz_xasprintf("key file %s line %d: card-sign-key is damaged (its "
			                    "public half does not match its seed)",
			                    path, lineno);
			return false;
		}
		k->has_card = true;
	} else {
		/* The first word is not echoed: on a damaged file it may be key material. */
		*err = jz_xasprintf("key file %s line %d: %s", path, lineno, line_forms);
		return false;
	}
#undef IS
	return true;
}

static jz_keys *
parse_keys(const char *text, size_t len, const char *path, char **err)
{
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	jz_keys *k = jz_xcalloc(1, sizeof *k);
	k->data_bytes = lines * sizeof *k->data;
	k->data = jz_xcalloc(lines, sizeof *k->data);

	int lineno = 0;
	for (size_t pos = 0; pos <= len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		lineno++;
		if (memchr(text + pos, '\0', end - pos)) {
			*err =
			    jz_xasprintf("key file %s line %d: contains a NUL byte", path, lineno);
			goto fail;
		}
		if (!parse_line(k, text + pos, end - pos, path, lineno, err))
			goto fail;
		pos = end + 1;
	}
	if (!k->has_lookup) {
		*err = jz_xasprintf("key file %s has no lookup-key line", path);
		goto fail;
	}
	if (k->n_data == 0) {
		*err = jz_xasprintf("key file %s has no data-key line", path);
		goto fail;
	}
	/* Keep keys out of swap and core dumps where the system allows it. */
	k->locked = sodium_mlock(k, sizeof *k) == 0;
	k->data_locked = sodium_mlock(k->data, k->data_bytes) == 0;
	return k;
fail:
	jz_keys_free(k);
	return NULL;
}

jz_keys *
jz_keys_load(const char *path, char **err)
{
	if (sodium_init() < 0) {
		*err = jz_xasprintf("cannot start libsodium");
		return NULL;
	}
	size_t len = 0;
	char *text = read_key_file(path, &len, err);
	if (!text)
		return NULL;
	jz_keys *k = parse_keys(text, len, path, err);
	sodium_memzero(text, len);
	free(text);
	return k;
}

void
jz_keys_free(jz_keys *k)
{
	if (!k)
		return;
	if (k->data) {
		if (k->data_locked)
			sodium_munlock(k->data, k->data_bytes); /* wipes before unlocking */
		else
			sodium_memzero(k->data, k->data_bytes);
		free(k->data);
	}
	if (k->locked)
		sodium_munlock(k, sizeof *k); /* wipes before unlocking */
	else
		sodium_memzero(k, sizeof *k);
	free(k);
}

/* Writes all of buf to fd, retrying on short writes. */
static bool
write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		buf += w;
		n -= (size_t)w;
	}
	return true;
}

/* Makes a created or renamed directory entry durable. Failure is not fatal: the file's
 * own data is already synced, and some file systems refuse fsync on directories. */
static void
sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir =
	    slash ? jz_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : jz_xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Today's date (UTC) as YYYY-MM-DD, for the comments that say when a key was made. */
static void
today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		strcpy(out, "unknown");
}

/* Appends "<name> [version ]<base64 of key>\n" to out (size cap, used so far *used). */
static bool
put_key_line(char *out, size_t cap, size_t *used, const char *name, int version,
             const unsigned char *key, size_t key_len)
{
	char b64[sodium_base64_ENCODED_LEN(crypto_sign_SECRETKEYBYTES,
	                                   sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, key, key_len, sodium_base64_VARIANT_ORIGINAL);
	int n = version > 0 ? snprintf(out + *used, cap - *used, "%s %d %s\n", name, version, b64)
	                    : snprintf(out + *used, cap - *used, "%s %s\n", name, b64);
	sodium_memzero(b64, sizeof b64);
	if (n < 0 || (size_t)n >= cap - *used)
		return false;
	*used += (size_t)n;
	return true;
}

jz_keys *
jz_keys_create(const char *path, char **err)
{
	if (sodium_init() < 0) {
		*err = jz_xasprintf("cannot start libsodium");
		return NULL;
	}
	unsigned char data[DATA_KEY_BYTES], lookup[LOOKUP_KEY_BYTES];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char text[1024], date[11];
	size_t used = 0;
	jz_keys *k = NULL;

	crypto_aead_xchacha20poly1305_ietf_keygen(data);
	randombytes_buf(lookup, sizeof lookup);
	crypto_sign_keypair(pk, sk);
	today(date);
	int n = snprintf(text, sizeof text,
	                 "%s# Created %s. Losing this file makes workers' ID numbers and phones\n"
	                 "# unreadable; a copy kept with the database backups gives them away.\n",
	                 header, date);
	used = (size_t)n;
	bool fits =
	    n > 0 && (size_t)n < sizeof text &&
	    put_key_line(text, sizeof text, &used, "data-key", 1, data, sizeof data) &&
	    put_key_line(text, sizeof text, &used, "lookup-key", 0, lookup, sizeof lookup) &&
	    put_key_line(text, sizeof text, &used, "card-sign-key", 0, sk, sizeof sk);
	sodium_memzero(data, sizeof data);
	sodium_memzero(lookup, sizeof lookup);
	sodium_memzero(sk, sizeof sk);
	if (!fits) {
		*err = jz_xasprintf("key file text does not fit its buffer");
		goto out;
	}

	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			*err = jz_xasprintf("key file %s already exists; it is not replaced, since "
			                    "that would make the data it protects unreadable",
			                    path);
		else
			*err = errno_message("cannot create key file", path);
		goto out;
	}
	/* 0600 whatever the umask, so a restrictive umask does not leave it unwritable. */
	if (fchmod(fd, 0600) != 0 || !write_all(fd, text, used) || fsync(fd) != 0) {
		*err = errno_message("cannot write key file", path);
		close(fd);
		unlink(path);
		goto out;
	}
	if (close(fd) != 0) {
		*err = errno_message("cannot write key file", path);
		unlink(path);
		goto out;
	}
	sync_parent_dir(path);
	k = jz_keys_load(path, err);
out:
	sodium_memzero(text, sizeof text);
	return k;
}

bool
jz_keys_rotate(const char *path, int *new_version, char **err)
{
	char *tmp = jz_xasprintf("%s.tmp", path);
	char *text = NULL, *out_text = NULL;
	size_t len = 0, out_cap = 0;
	jz_keys *k = NULL;
	bool ok = false;

	/* Created first and exclusively: while it exists no other rotation can run, so the
	 * file read below is the one the rename replaces. */
	int fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			*err = jz_xasprintf("%s exists: another rotation is running, or one was "
			                    "interrupted; if none is running, remove %s and retry",
			                    tmp, tmp);
		else
			*err = errno_message("cannot create", tmp);
		free(tmp);
		return false;
	}
	text = read_key_file(path, &len, err);
	if (!text)
		goto out;
	k = parse_keys(text, len, path, err);
	if (!k)
		goto out;
	int version = 0;
	for (int i = 0; i < k->n_data; i++)
		if (k->data[i].version > version)
			version = k->data[i].version;
	if (version >= MAX_VERSION) {
		*err = jz_xasprintf("key file %s: no data-key version is left", path);
		goto out;
	}
	version++;

	unsigned char key[DATA_KEY_BYTES];
	char date[11];
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
	today(date);
	out_cap = len + 256;
	out_text = jz_xmalloc(out_cap);
	memcpy(out_text, text, len);
	size_t used = len;
	if (used > 0 && out_text[used - 1] != '\n')
		out_text[used++] = '\n';
	used += (size_t)snprintf(out_text + used, out_cap - used, "# data-key %d added %s\n",
	                         version, date);
	bool fits = put_key_line(out_text, out_cap, &used, "data-key", version, key, sizeof key);
	sodium_memzero(key, sizeof key);
	if (!fits) {
		*err = jz_xasprintf("key file text does not fit its buffer");
		goto out;
	}
	if (fchmod(fd, 0600) != 0 || !write_all(fd, out_text, used) || fsync(fd) != 0) {
		*err = errno_message("cannot write", tmp);
		goto out;
	}
	int rc = close(fd);
	fd = -1;
	if (rc != 0) {
		*err = errno_message("cannot write", tmp);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		*err = errno_message("cannot replace key file", path);
		goto out;
	}
	sync_parent_dir(path);
	*new_version = version;
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	if (!ok)
		unlink(tmp);
	if (text) {
		sodium_memzero(text, len);
		free(text);
	}
	if (out_text) {
		sodium_memzero(out_text, out_cap);
		free(out_text);
	}
	jz_keys_free(k);
	free(tmp);
	return ok;
}

char *
jz_keys_path_for(const char *db_url, const char *explicit_path)
{
	if (explicit_path && *explicit_path)
		return jz_xstrdup(explicit_path);
	const char *env = getenv("JZ_KEYS");
	if (env && *env)
		return jz_xstrdup(env);
	if (!db_url || !*db_url || !strcmp(db_url, ":memory:"))
		return NULL;
	/* The same test as jz_db_url_is_postgres (util does not depend on store). */
	if (!strncmp(db_url, "postgres://", 11) || !strncmp(db_url, "postgresql://", 13))
		return NULL;
	return jz_xasprintf("%s.keys", db_url);
}

int
jz_keys_current_version(const jz_keys *k)
{
	return k->data[k->current].version;
}

bool
jz_keys_has_version(const jz_keys *k, int version)
{
	return jz_keys_data_key(k, version) != NULL;
}

const unsigned char *
jz_keys_data_key(const jz_keys *k, int version)
{
	/* The current key first: it is the one nearly every call asks for. */
	if (k->data[k->current].version == version)
		return k->data[k->current].key;
	for (int i = 0; i < k->n_data; i++)
		if (k->data[i].version == version)
			return k->data[i].key;
	return NULL;
}

const unsigned char *
jz_keys_lookup_key(const jz_keys *k)
{
	return k->lookup;
}

const unsigned char *
jz_keys_card_secret(const jz_keys *k)
{
	return k->has_card ? k->card_sk : NULL;
}

void
jz_keys_card_public(const jz_keys *k, unsigned char out[32])
{
	if (k->has_card)
		memcpy(out, k->card_pk, crypto_sign_PUBLICKEYBYTES);
	else
		memset(out, 0, crypto_sign_PUBLICKEYBYTES);
}
