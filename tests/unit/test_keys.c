/* Unit tests for util/keys and util/seal: the key file's creation, checks and rotation,
 * sealing and opening fields, and lookup hashes. Each test works in its own temporary
 * directory under /tmp, removed afterwards. JZ_BENCH=1 also times seal + hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/keys.h"
#include "util/seal.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/jz-keys-test.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/db.sqlite.keys", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char tmp[160];
	unlink(f->path);
	snprintf(tmp, sizeof tmp, "%s.tmp", f->path);
	unlink(tmp);
	rmdir(f->dir);
	free(f);
	return 0;
}

static jz_keys *
create_ok(const char *path)
{
	char *err = NULL;
	jz_keys *k = jz_keys_create(path, &err);
	if (!k)
		fail_msg("create: %s", err);
	return k;
}

static jz_keys *
load_ok(const char *path)
{
	char *err = NULL;
	jz_keys *k = jz_keys_load(path, &err);
	if (!k)
		fail_msg("load: %s", err);
	return k;
}

/* Loads, expecting a refusal whose message contains `want`. */
static void
load_fails(const char *path, const char *want)
{
	char *err = NULL;
	jz_keys *k = jz_keys_load(path, &err);
	if (k) {
		jz_keys_free(k);
		fail_msg("%s loaded; expected an error containing \"%s\"", path, want);
	}
	assert_non_null(err);
	if (!strstr(err, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
	free(err);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static char *
read_text(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

static void
test_create_load_round_trip(void **state)
{
	struct fixture *f = *state;
	jz_keys *a = create_ok(f->path);
	jz_keys *b = load_ok(f->path);

	assert_int_equal(jz_keys_current_version(a), 1);
	assert_int_equal(jz_keys_current_version(b), 1);
	assert_true(jz_keys_has_version(b, 1));
	assert_false(jz_keys_has_version(b, 2));
	assert_memory_equal(jz_keys_data_key(a, 1), jz_keys_data_key(b, 1), 32);
	assert_memory_equal(jz_keys_lookup_key(a), jz_keys_lookup_key(b), 32);
	assert_memory_equal(jz_keys_card_secret(a), jz_keys_card_secret(b), 64);
	/* Keys are random, not all zero and not equal to one another. */
	static const unsigned char zero[32];
	assert_memory_not_equal(jz_keys_data_key(a, 1), zero, 32);
	assert_memory_not_equal(jz_keys_data_key(a, 1), jz_keys_lookup_key(a), 32);

	/* A value sealed under the keys as created opens under the keys as loaded. */
	char *s = jz_seal(a, "430922199001011234", "worker.id_number");
	char *p = jz_unseal(b, s, "worker.id_number");
	assert_string_equal(p, "430922199001011234");
	free(s);
	free(p);

	const char *text = read_text(f->path);
	assert_non_null(strstr(text, "# Jiazheng keys: keep secret"));
	assert_non_null(strstr(text, "\ndata-key 1 "));
	assert_non_null(strstr(text, "\nlookup-key "));
	assert_non_null(strstr(text, "\ncard-sign-key "));
	jz_keys_free(a);
	jz_keys_free(b);
	jz_keys_free(NULL);
}

static void
test_file_mode_0600(void **state)
{
	struct fixture *f = *state;
	mode_t old = umask(0);
	jz_keys *k = create_ok(f->path);
	umask(old);
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	jz_keys_free(k);
}

static void
test_load_refuses_open_mode(void **state)
{
	struct fixture *f = *state;
	jz_keys_free(create_ok(f->path));
	assert_int_equal(chmod(f->path, 0644), 0);
	load_fails(f->path, "chmod 600");
	assert_int_equal(chmod(f->path, 0660), 0);
	load_fails(f->path, "chmod 600");
	assert_int_equal(chmod(f->path, 0602), 0);
	load_fails(f->path, "0602");
	assert_int_equal(chmod(f->path, 0400), 0);
	jz_keys_free(load_ok(f->path));
	assert_int_equal(chmod(f->path, 0600), 0);
}

static void
test_malformed_lines(void **state)
{
	struct fixture *f = *state;
	static const char key32[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
	char text[1024];

	/* A good file by hand, with comments, blank lines, tabs and CRLF. */
	snprintf(text, sizeof text,
	         "# comment\n\n  # indented comment\r\ndata-key 1 %s\r\nlookup-key\t%s  \n", key32,
	         key32);
	write_file(f->path, text, 0600);
	jz_keys *k = load_ok(f->path);
	assert_null(jz_keys_card_secret(k));
	jz_keys_free(k);

	static const struct {
		const char *line3; /* the third line of the file */
		const char *want;
	} cases[] = {
	    {"data-key x %s", "line 3"},
	    {"data-key 0 %s", "line 3"},
	    {"data-key 01 %s", "line 3"},
	    {"data-key 2 %s extra", "line 3"},
	    {"data-key 2 AAAA%s", "line 3: data-key 2 is not base64"},
	    {"data-key 2 %s", ""}, /* well formed: placeholder for the control below */
	    {"lookup-key %s", "line 3: lookup-key appears twice"},
	    {"data-key 1 %s", "line 3: data-key 1 appears twice"},
	    {"lookupkey %s", "line 3: expected"},
	    {"%s", "line 3: expected"},
	    {"card-sign-key %s", "line 3: card-sign-key is not base64 of 64"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char line3[256];
		snprintf(line3, sizeof line3, cases[i].line3, key32);
		snprintf(text, sizeof text, "data-key 1 %s\nlookup-key %s\n%s\n", key32, key32,
		         line3);
		write_file(f->path, text, 0600);
		if (!*cases[i].want) {
			jz_keys *ok = load_ok(f->path);
			assert_int_equal(jz_keys_current_version(ok), 2);
			jz_keys_free(ok);
			continue;
		}
		load_fails(f->path, cases[i].want);
	}

	/* Messages never repeat key material. */
	snprintf(text, sizeof text, "data-key 1 %s\n%s\n", key32, key32);
	write_file(f->path, text, 0600);
	char *err = NULL;
	assert_null(jz_keys_load(f->path, &err));
	assert_null(strstr(err, "AAEC"));
	free(err);

	snprintf(text, sizeof text, "data-key 1 %s\n", key32);
	write_file(f->path, text, 0600);
	load_fails(f->path, "no lookup-key");
	snprintf(text, sizeof text, "# only\nlookup-key %s\n", key32);
	write_file(f->path, text, 0600);
	load_fails(f->path, "no data-key");

	/* A card key whose public half was altered is refused. */
	unsigned char pk[32], sk[64];
	char b64[128];
	crypto_sign_keypair(pk, sk);
	sk[63] ^= 1;
	sodium_bin2base64(b64, sizeof b64, sk, sizeof sk, sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, sizeof text, "data-key 1 %s\nlookup-key %s\ncard-sign-key %s\n", key32,
	         key32, b64);
	write_file(f->path, text, 0600);
	load_fails(f->path, "line 3: card-sign-key is damaged");

	unlink(f->path);
	load_fails(f->path, "cannot open key file");
}

static void
test_create_refuses_existing(void **state)
{
	struct fixture *f = *state;
	jz_keys *k = create_ok(f->path);
	char before[4096];
	strcpy(before, read_text(f->path));

	char *err = NULL;
	assert_null(jz_keys_create(f->path, &err));
	assert_non_null(strstr(err, "already exists"));
	free(err);
	assert_string_equal(read_text(f->path), before);

	/* Nor does it write through a symbolic link. */
	char link[160], target[160];
	snprintf(link, sizeof link, "%s/link", f->dir);
	snprintf(target, sizeof target, "%s/target", f->dir);
	assert_int_equal(symlink(target, link), 0);
	err = NULL;
	assert_null(jz_keys_create(link, &err));
	free(err);
	assert_int_equal(access(target, F_OK), -1);
	unlink(link);
	jz_keys_free(k);
}

static void
test_seal_round_trip(void **state)
{
	struct fixture *f = *state;
	jz_keys *k = create_ok(f->path);
	static const char *const values[] = {
	    "430922199001011234", "13800138000", "", "张小芳 湖南省益阳市桃江县", "x",
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char *s = jz_seal(k, values[i], "worker.phone");
		assert_true(strncmp(s, "v1.", 3) == 0);
		assert_int_equal(jz_sealed_version(s), 1);
		if (strlen(values[i]) >= 8) /* shorter ones may occur in base64 by chance */
			assert_null(strstr(s, values[i]));
		for (const char *p = s + 3; *p; p++)
			assert_non_null(
			    strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			           "0123456789-_",
			           *p));
		char *p = jz_unseal(k, s, "worker.phone");
		assert_non_null(p);
		assert_string_equal(p, values[i]);
		free(p);
		free(s);
	}

	/* A value too long for the stack buffers takes the allocating path. */
	char big[2000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char *s = jz_seal(k, big, "worker.note");
	char *p = jz_unseal(k, s, "worker.note");
	assert_string_equal(p, big);
	free(p);
	free(s);
	jz_keys_free(k);
}

static void
test_wrong_context_and_tampering(void **state)
{
	struct fixture *f = *state;
	jz_keys *k = create_ok(f->path);
	char *s = jz_seal(k, "430922199001011234", "worker.id_number");

	assert_null(jz_unseal(k, s, "worker.phone"));
	assert_null(jz_unseal(k, s, ""));

	/* Flipping any one character of the body makes it fail. */
	size_t n = strlen(s);
	for (size_t i = 3; i < n; i++) {
		char *t = strdup(s);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		char *p = jz_unseal(k, t, "worker.id_number");
		if (p)
			fail_msg("tampered at %zu still opens", i);
		free(t);
	}
	/* Truncated, extended, or not a sealed value at all. */
	char *t = strdup(s);
	t[n - 1] = '\0';
	assert_null(jz_unseal(k, t, "worker.id_number"));
	free(t);
	char longer[512];
	snprintf(longer, sizeof longer, "%sAA", s);
	assert_null(jz_unseal(k, longer, "worker.id_number"));
	static const char *const bad[] = {"",
	                                  "v1.",
	                                  "v1",
	                                  "1.AAAA",
	                                  "v.AAAA",
	                                  "v01.AAAA",
	                                  "v1.!!!!",
	                                  "430922199001011234",
	                                  "v9999999999.AAAA"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_null(jz_unseal(k, bad[i], "worker.id_number"));
		assert_int_equal(jz_sealed_version(bad[i]), -1);
	}
	/* Well formed but too short to hold a nonce and a tag. */
	assert_int_equal(jz_sealed_version("v1.AAAA"), 1);
	assert_null(jz_unseal(k, "v1.AAAA", "worker.id_number"));
	/* Base64 padding is not part of the format. */
	snprintf(longer, sizeof longer, "%s=", s);
	assert_null(jz_unseal(k, longer, "worker.id_number"));

	/* Another key file's keys cannot open it. */
	char other[160];
	snprintf(other, sizeof other, "%s/other.keys", f->dir);
	jz_keys *k2 = create_ok(other);
	assert_null(jz_unseal(k2, s, "worker.id_number"));
	jz_keys_free(k2);
	unlink(other);
	free(s);
	jz_keys_free(k);
}

static void
test_nonce_and_lookup(void **state)
{
	struct fixture *f = *state;
	jz_keys *k = create_ok(f->path);
	char *a = jz_seal(k, "13800138000", "worker.phone");
	char *b = jz_seal(k, "13800138000", "worker.phone");
	assert_string_not_equal(a, b);
	free(a);
	free(b);

	unsigned char h1[JZ_LOOKUP_HASH_LEN], h2[JZ_LOOKUP_HASH_LEN], h3[JZ_LOOKUP_HASH_LEN],
	    h4[JZ_LOOKUP_HASH_LEN], h5[JZ_LOOKUP_HASH_LEN];
	assert_int_equal(JZ_LOOKUP_HASH_LEN, 16);
	jz_lookup_hash(k, "13800138000", "worker.phone", h1);
	jz_lookup_hash(k, "13800138000", "worker.phone", h2);
	assert_memory_equal(h1, h2, sizeof h1);
	/* Same digits, other field. */
	jz_lookup_hash(k, "13800138000", "worker.id_number", h3);
	assert_memory_not_equal(h1, h3, sizeof h1);
	/* The separator keeps context and value apart: "ab"+"c" is not "a"+"bc". */
	jz_lookup_hash(k, "c", "ab", h4);
	jz_lookup_hash(k, "bc", "a", h5);
	assert_memory_not_equal(h4, h5, sizeof h4);
	/* It is keyed: an unkeyed BLAKE2b (16 bytes) of the same input differs. */
	unsigned char raw[16];
	crypto_generichash(raw, sizeof raw, (const unsigned char *)"worker.phone\00013800138000",
	                   sizeof "worker.phone\00013800138000" - 1, NULL, 0);
	assert_memory_not_equal(h1, raw, sizeof h1);
	/* And keyed with the lookup key over context '\0' value, as documented. */
	crypto_generichash(raw, sizeof raw, (const unsigned char *)"worker.phone\00013800138000",
	                   sizeof "worker.phone\00013800138000" - 1, jz_keys_lookup_key(k), 32);
	assert_memory_equal(h1, raw, sizeof h1);

	/* Another key file gives other hashes. */
	char other[160];
	snprintf(other, sizeof other, "%s/other.keys", f->dir);
	jz_keys *k2 = create_ok(other);
	jz_lookup_hash(k2, "13800138000", "worker.phone", h2);
	assert_memory_not_equal(h1, h2, sizeof h1);
	jz_keys_free(k2);
	unlink(other);
	jz_keys_free(k);
}

/* A child process never draws the nonces its parent already fetched. */
static void
test_nonces_after_fork(void **state)
{
	struct fixture *f = *state;
	jz_keys *k = create_ok(f->path);
	free(jz_seal(k, "x", "c")); /* fills this thread's nonce pool */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *s = jz_seal(k, "x", "c");
		ssize_t w = write(fds[1], s, 35);
		_exit(w == 35 ? 0 : 1);
	}
	close(fds[1]);
	char child[36] = "";
	assert_int_equal(read(fds[0], child, 35), 35);
	close(fds[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	char *mine = jz_seal(k, "x", "c");
	/* "v1." and 32 characters of base64 carrying the 24-byte nonce. */
	assert_false(memcmp(mine, child, 35) == 0);
	free(mine);
	jz_keys_free(k);
}

static void
test_rotation(void **state)
{
	struct fixture *f = *state;
	jz_keys *k1 = create_ok(f->path);
	char *old = jz_seal(k1, "430922199001011234", "worker.id_number");
	unsigned char h_before[JZ_LOOKUP_HASH_LEN];
	jz_lookup_hash(k1, "430922199001011234", "worker.id_number", h_before);

	char *err = NULL;
	int v = 0;
	if (!jz_keys_rotate(f->path, &v, &err))
		fail_msg("rotate: %s", err);
	assert_int_equal(v, 2);
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	char tmp[160];
	snprintf(tmp, sizeof tmp, "%s.tmp", f->path);
	assert_int_equal(access(tmp, F_OK), -1);

	jz_keys *k2 = load_ok(f->path);
	assert_int_equal(jz_keys_current_version(k2), 2);
	char *fresh = jz_seal(k2, "430922199001011234", "worker.id_number");
	assert_true(strncmp(fresh, "v2.", 3) == 0);
	assert_int_equal(jz_sealed_version(fresh), 2);
	assert_int_equal(jz_sealed_version(old), 1);
	char *p = jz_unseal(k2, old, "worker.id_number");
	assert_string_equal(p, "430922199001011234");
	free(p);
	p = jz_unseal(k2, fresh, "worker.id_number");
	assert_string_equal(p, "430922199001011234");
	free(p);
	/* The old keys do not know v2. */
	assert_null(jz_unseal(k1, fresh, "worker.id_number"));
	/* The lookup key is not rotated. */
	unsigned char h_after[JZ_LOOKUP_HASH_LEN];
	jz_lookup_hash(k2, "430922199001011234", "worker.id_number", h_after);
	assert_memory_equal(h_before, h_after, sizeof h_before);
	/* Card key and data-key 1 are unchanged. */
	assert_memory_equal(jz_keys_card_secret(k1), jz_keys_card_secret(k2), 64);
	assert_memory_equal(jz_keys_data_key(k1, 1), jz_keys_data_key(k2, 1), 32);

	/* A third rotation, then a version the file never had. */
	assert_true(jz_keys_rotate(f->path, &v, &err));
	assert_int_equal(v, 3);
	jz_keys *k3 = load_ok(f->path);
	char *s3 = jz_seal(k3, "x", "c");
	/* Renumber its version to one the file does not hold. */
	char *moved = malloc(strlen(s3) + 2);
	sprintf(moved, "v7.%s", s3 + 3);
	assert_int_equal(jz_sealed_version(moved), 7);
	assert_null(jz_unseal(k3, moved, "c"));
	/* Renumbered to another known version, it fails authentication. */
	sprintf(moved, "v1.%s", s3 + 3);
	assert_null(jz_unseal(k3, moved, "c"));
	free(moved);
	free(s3);

	/* A leftover temporary file stops rotation and says what to do. */
	int fd = open(tmp, O_CREAT | O_WRONLY, 0600);
	close(fd);
	err = NULL;
	assert_false(jz_keys_rotate(f->path, &v, &err));
	assert_non_null(strstr(err, "remove"));
	free(err);
	assert_int_equal(access(tmp, F_OK), 0);
	unlink(tmp);

	/* Rotation refuses a file with an open mode and leaves no temporary file. */
	assert_int_equal(chmod(f->path, 0644), 0);
	err = NULL;
	assert_false(jz_keys_rotate(f->path, &v, &err));
	assert_non_null(strstr(err, "chmod 600"));
	free(err);
	assert_int_equal(access(tmp, F_OK), -1);

	free(old);
	free(fresh);
	jz_keys_free(k1);
	jz_keys_free(k2);
	jz_keys_free(k3);
}

static void
test_rotation_without_final_newline(void **state)
{
	struct fixture *f = *state;
	static const char key32[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
	char text[256];
	snprintf(text, sizeof text, "lookup-key %s\ndata-key 4 %s", key32, key32);
	write_file(f->path, text, 0600);
	char *err = NULL;
	int v = 0;
	if (!jz_keys_rotate(f->path, &v, &err))
		fail_msg("rotate: %s", err);
	assert_int_equal(v, 5);
	jz_keys *k = load_ok(f->path);
	assert_int_equal(jz_keys_current_version(k), 5);
	assert_true(jz_keys_has_version(k, 4));
	jz_keys_free(k);
}

static void
test_card_key(void **state)
{
	struct fixture *f = *state;
	jz_keys *k = create_ok(f->path);
	const unsigned char *sk = jz_keys_card_secret(k);
	assert_non_null(sk);
	unsigned char pk[32], want[32];
	jz_keys_card_public(k, pk);
	assert_int_equal(crypto_sign_ed25519_sk_to_pk(want, sk), 0);
	assert_memory_equal(pk, want, 32);

	/* And the pair works: a signature made with the secret verifies with the public key. */
	static const unsigned char msg[] = "card token";
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
	assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof msg, pk), 0);
	jz_keys_free(k);
}

static void
test_path_for(void **state)
{
	(void)state;
	char *p;
	const char *saved = getenv("JZ_KEYS");
	char *saved_copy = saved ? strdup(saved) : NULL;

	unsetenv("JZ_KEYS");
	p = jz_keys_path_for("/var/lib/jz/jz.db", NULL);
	assert_string_equal(p, "/var/lib/jz/jz.db.keys");
	free(p);
	p = jz_keys_path_for("jz.db", "");
	assert_string_equal(p, "jz.db.keys");
	free(p);
	assert_null(jz_keys_path_for("postgres://jz@db/jz", NULL));
	assert_null(jz_keys_path_for("postgresql:///jz", NULL));
	assert_null(jz_keys_path_for(":memory:", NULL));
	assert_null(jz_keys_path_for(NULL, NULL));
	p = jz_keys_path_for("postgres://jz@db/jz", "/etc/jz/keys");
	assert_string_equal(p, "/etc/jz/keys");
	free(p);

	setenv("JZ_KEYS", "/run/jz.keys", 1);
	p = jz_keys_path_for("postgres://jz@db/jz", NULL);
	assert_string_equal(p, "/run/jz.keys");
	free(p);
	p = jz_keys_path_for("jz.db", NULL);
	assert_string_equal(p, "/run/jz.keys");
	free(p);
	p = jz_keys_path_for("jz.db", "/etc/jz/keys");
	assert_string_equal(p, "/etc/jz/keys");
	free(p);

	if (saved_copy)
		setenv("JZ_KEYS", saved_copy, 1);
	else
		unsetenv("JZ_KEYS");
	free(saved_copy);
}

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Not a check: with JZ_BENCH set, prints how many seal + lookup-hash pairs (ID number
 * sized) run per second, the work bulk import does per field. */
static void
test_bench(void **state)
{
	struct fixture *f = *state;
	if (!getenv("JZ_BENCH"))
		skip();
	jz_keys *k = create_ok(f->path);
	int n = 500000;
	char value[32];
	unsigned char hash[JZ_LOOKUP_HASH_LEN];
	size_t sink = 0;
	double t0 = now_seconds();
	for (int i = 0; i < n; i++) {
		snprintf(value, sizeof value, "4309221990%08d", i);
		char *s = jz_seal(k, value, "worker.id_number");
		jz_lookup_hash(k, value, "worker.id_number", hash);
		sink += strlen(s) + (size_t)hash[0];
		free(s);
	}
	double t1 = now_seconds();
	for (int i = 0; i < n; i++) {
		snprintf(value, sizeof value, "4309221990%08d", i);
		char *s = jz_seal(k, value, "worker.id_number");
		sink += strlen(s);
		free(s);
	}
	double t2 = now_seconds();
	for (int i = 0; i < n; i++) {
		snprintf(value, sizeof value, "4309221990%08d", i);
		jz_lookup_hash(k, value, "worker.id_number", hash);
		sink += (size_t)hash[0];
	}
	double t3 = now_seconds();
	char *s = jz_seal(k, "430922199001011234", "worker.id_number");
	double t4 = now_seconds();
	for (int i = 0; i < n; i++) {
		char *p = jz_unseal(k, s, "worker.id_number");
		sink += strlen(p);
		free(p);
	}
	double t5 = now_seconds();
	free(s);
	printf("# seal+hash %.0f/s, seal %.0f/s, hash %.0f/s, unseal %.0f/s (sink %zu)\n",
	       n / (t1 - t0), n / (t2 - t1), n / (t3 - t2), n / (t5 - t4), sink);
	jz_keys_free(k);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_load_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_mode_0600, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load_refuses_open_mode, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_refuses_existing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_seal_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_context_and_tampering, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nonce_and_lookup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nonces_after_fork, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rotation_without_final_newline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_card_key, setup, teardown),
	    cmocka_unit_test(test_path_for),
	    cmocka_unit_test_setup_teardown(test_bench, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
