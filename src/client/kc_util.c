/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kc_util: file and encoding helpers of the client layer: whole-file
 * reads, atomic writes that keep the file mode (kubeconfig edits), base64
 * through GnuTLS, relative path resolution (kubeconfig paths are relative
 * to the file that names them, as in kubectl), URL query encoding.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <gnutls/gnutls.h>

#include "client/private.h"
#include "common/file.h"
#include "common/mem.h"

#define KC_MAX_FILE (16u << 20)

int kc_base64_decode(const char *in, struct buf *out, struct err *e)
{
	struct buf clean = BUF_INIT;
	gnutls_datum_t src, dst = { NULL, 0 };
	int rc;

	for (const char *p = in; *p; p++)
		if (!isspace((unsigned char)*p))
			buf_addc(&clean, *p);
	if (!clean.len)
		return 0;
	src.data = (unsigned char *)clean.data;
	src.size = (unsigned)clean.len;
	rc = gnutls_base64_decode2(&src, &dst);
	buf_free(&clean);
	if (rc < 0)
		return err_set(e, ERR_PARSE, "bad base64: %s",
			       gnutls_strerror(rc));
	buf_add(out, dst.data, dst.size);
	gnutls_free(dst.data);
	return 0;
}

int kc_read_file(const char *path, struct buf *out, struct err *e)
{
	char chunk[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	struct stat st;

	if (fd < 0)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_IO, "%s: not a regular file", path);
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		buf_add(out, chunk, (size_t)n);
		if (out->len > KC_MAX_FILE) {
			close(fd);
			return err_set(e, ERR_TOO_LARGE, "%s: larger than "
				       "%u bytes", path, KC_MAX_FILE);
		}
	}
	close(fd);
	if (!out->data)
		buf_add(out, "", 0);
	return 0;
}

/* Keep the mode of the file being replaced (kubectl does the same). */
int kc_write_file_atomic(const char *path, const char *data, size_t len,
			 unsigned mode, struct err *e)
{
	struct stat st;

	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	return file_write_atomic(path, data, len, mode, e);
}

char *kc_path_rel(const char *base, const char *rel)
{
	const char *slash;

	if (!rel)
		return NULL;
	if (rel[0] == '/' || !base || !(slash = strrchr(base, '/')))
		return xstrdup(rel);
	return xasprintf("%.*s/%s", (int)(slash - base), base, rel);
}

void kc_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* curl's escaping (handle may be NULL since 7.82). */
void client_url_escape(struct buf *b, const char *s)
{
	char *enc = curl_easy_escape(NULL, s, 0);

	if (!enc)
		mem_oom();
	buf_adds(b, enc);
	curl_free(enc);
}

void client_url_param(struct buf *b, const char *k, const char *v)
{
	buf_addc(b, strchr(buf_cstr(b), '?') ? '&' : '?');
	buf_adds(b, k);
	buf_addc(b, '=');
	client_url_escape(b, v);
}

cJSON *client_jget(const cJSON *o, const char *a, const char *b)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	return b ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
}

const char *client_jstr(const cJSON *o, const char *a, const char *b)
{
	return cJSON_GetStringValue(client_jget(o, a, b));
}
