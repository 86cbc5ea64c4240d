/*
 * config-fuzz.c: libFuzzer entry point for the config parser (`make fuzz`).
 *
 * Besides the sanitizers' checks, it asserts the parser's contract: every input either parses
 * into a config within its limits, or fails with a message that starts with "file:".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	cf;
	char		err[CONFIG_ERR_MAX], what[CONFIG_ERR_MAX + 64];
<% if (payload === 'tick') { -%>
	const char	*s;
<% } -%>

	memset(err, 0, sizeof(err));
	if (config_parse("fuzz.conf", (const char *)data, size, &cf, err, sizeof(err)) == -1) {
		if (strncmp(err, "fuzz.conf:", 10) != 0)
			abort();
		return 0;
	}
<% if (payload === 'tick') { -%>
	if (cf.interval < 1 || cf.interval > CONFIG_INTERVAL_MAX)
		abort();
	if (memchr(cf.message, '\0', sizeof(cf.message)) == NULL)
		abort();
	for (s = cf.message; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t')
			abort();
<% } else { -%>
	if (memchr(cf.socket, '\0', sizeof(cf.socket)) == NULL)
		abort();
	if (cf.socket[0] != '/' && cf.socket[0] != '@')
		abort();
<% } -%>
	config_describe(&cf, what, sizeof(what));
	return 0;
}
