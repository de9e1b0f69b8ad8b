/* Files written so that a failure never leaves a partial one behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nn_internal.h"

/* Write buf to path through a temporary file in the same directory. */
int nn__write_atomic(const char *path, const void *buf, size_t len)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return NN_ENOMEM;
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp.XXXXXX", 12);
	int rc = NN_EIO;
	int fd = mkstemp(tmp);
	if (fd < 0)
		goto out;
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		unlink(tmp);
		goto out;
	}
	int ok = fwrite(buf, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok &= fclose(f) == 0;
	/* mkstemp makes 0600; a model is an ordinary file */
	if (ok && chmod(tmp, 0644) == 0 && rename(tmp, path) == 0)
		rc = 0;
	else
		unlink(tmp);
out:
	free(tmp);
	return rc;
}
