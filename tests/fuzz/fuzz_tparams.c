// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Transport parameters. The first byte says whether the peer is the
 * server; the rest is the extension body. Whatever is accepted must encode
 * and decode back to the same parameters.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tparams.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tquic_tparams tp, again;
	bool from_server;
	u8 out[1024];
	int n;

	if (size < 1)
		return 0;
	from_server = data[0] & 1;
	if (tquic_tparams_read(data + 1, size - 1, from_server, &tp))
		return 0;
	n = tquic_tparams_write(out, sizeof(out), from_server, &tp);
	if (n == -ENOSPC)
		return 0;
	if (n < 0 || tquic_tparams_read(out, (size_t)n, from_server, &again) ||
	    memcmp(&tp, &again, sizeof(tp)))
		abort();
	return 0;
}
