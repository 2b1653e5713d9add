/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_authn: the two parsers of untrusted authentication input, the
 * token file (CSV) and bearer JWTs (satoken_verify).  The first byte
 * chooses the parser; the rest is the input.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cluster/authn.h"
#include "cluster/satoken.h"
#include "common/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct satoken *signer(void)
{
	static struct satoken *t;
	gnutls_x509_privkey_t k;
	gnutls_privkey_t abs;
	gnutls_pubkey_t pub;
	gnutls_datum_t kd, pd;
	struct err e;

	if (t)
		return t;
	gnutls_x509_privkey_init(&k);
	gnutls_x509_privkey_generate(k, GNUTLS_PK_RSA, 2048, 0);
	gnutls_x509_privkey_export2(k, GNUTLS_X509_FMT_PEM, &kd);
	gnutls_privkey_init(&abs);
	gnutls_privkey_import_x509(abs, k, 0);
	gnutls_pubkey_init(&pub);
	gnutls_pubkey_import_privkey(pub, abs, 0, 0);
	gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_PEM, &pd);
	{
		char *ks = xstrndup((char *)kd.data, kd.size);
		char *ps = xstrndup((char *)pd.data, pd.size);

		if (satoken_new(ks, ps, NULL, &t, &e) < 0)
			abort();
		free(ks);
		free(ps);
	}
	gnutls_free(kd.data);
	gnutls_free(pd.data);
	gnutls_pubkey_deinit(pub);
	gnutls_privkey_deinit(abs);
	gnutls_x509_privkey_deinit(k);
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		struct vec v = VEC_INIT;

		if (authn_tokens_parse((const char *)data + 1, size - 1, &v,
				       &e) == 0)
			for (size_t i = 0; i < v.len; i++)
				authn_token_free(vec_get(&v, i));
		vec_free(&v, NULL);
	} else {
		char *tok = xstrndup((const char *)data + 1, size - 1);
		struct satoken_subject s;

		if (satoken_verify(signer(), tok, 1700000000, &s, &e) == 0)
			satoken_subject_done(&s);
		satoken_looks_like_jwt(tok);
		free(tok);
	}
	return 0;
}
