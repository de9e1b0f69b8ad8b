/* Files written so that a failure never leaves a partial one behind. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn_internal.h"

/* Write buf to path through a temporary file in the same directory. */
int nn__write_atomic(const char *path, const void *buf, size_t len)
{
	static unsigned counter;
	size_t n = strlen(path);
	char *tmp = malloc(n + 48);
	if (!tmp)
		return NN_ENOMEM;
	/* a name of our own beside the target, created with mode 0666 so the
	 * umask applies as for any new file (mkstemp would make it 0600) */
	int fd = -1;
	for (int tries = 0; tries < 100 && fd < 0; tries++) {
		snprintf(tmp, n + 48, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	int rc = NN_EIO;
	if (fd < 0)
		goto out;
	const char *p = buf;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		p += w;
		left -= (size_t)w;
	}
	int ok = left == 0 && fsync(fd) == 0;
	ok &= close(fd) == 0;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		goto out;
	}
	/* make the rename itself durable: fsync the directory */
	char *dir = strdup(path);
	if (dir) {
		char *slash = strrchr(dir, '/');
		const char *d = slash ? (slash == dir ? "/" : (*slash = 0, dir)) : ".";
		int dfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}
