/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_dns: arbitrary bytes as a DNS query to the cluster DNS, over UDP
 * and TCP rules.  A reply must parse as a DNS packet whose id is the
 * query's.  The same bytes are also an upstream's answer to an
 * ExternalName chase (dns_chase.c), and a reply to chase.  Must never
 * crash or leak.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <ldns/ldns.h>

#include "tests/unit/svc_fixture.h"
#include "cluster/net/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct svc_model *model;

/* Chase reply (ours or arbitrary) with data as the upstream's answer. */
static void chase(const uint8_t *reply, size_t len, const uint8_t *data,
		  size_t size, bool udp)
{
	uint8_t *q = NULL, *m = NULL;
	size_t qlen = 0, mlen = 0;

	if (dns_chase_query(reply, len, "cluster.local", &q, &qlen) == 0) {
		if (qlen < 12)
			abort();
		free(q);
	}
	if (dns_chase_merge(reply, len, data, size, udp, &m, &mlen) == 0) {
		if (mlen < 12 || (udp && mlen > 1232))
			abort();
		free(m);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	chase(data, size, data, size, true);
	for (int udp = 0; udp < 2; udp++) {
		uint8_t *out = NULL;
		size_t len = 0;
		ldns_pkt *r = NULL;

		if (!model) {
			cJSON *s = cJSON_Parse(svc_fixture_services);
			cJSON *e = cJSON_Parse(svc_fixture_slices);

			model = svc_model_build(s, e);
			cJSON_Delete(s);
			cJSON_Delete(e);
		}
		if (dns_answer(model, "cluster.local", data, size, udp, &out,
			       &len) != DNS_REPLY)
			continue;
		if (len < 12 || out[0] != data[0] || out[1] != data[1])
			abort();
		if (len > 12 &&
		    ldns_wire2pkt(&r, out, len) != LDNS_STATUS_OK)
			abort();
		ldns_pkt_free(r);
		chase(out, len, data, size, udp);
		free(out);
	}
	return 0;
}
