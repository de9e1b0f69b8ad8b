/*
 * Files: opened for reading only when they are regular files, and written
 * so that a failure never leaves a partial one behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nn_internal.h"

const char *nn__file_kind(const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return "a regular file";
	if (S_ISDIR(st->st_mode))
		return "a directory";
	if (S_ISFIFO(st->st_mode))
		return "a FIFO";
	if (S_ISCHR(st->st_mode))
		return "a character device";
	if (S_ISBLK(st->st_mode))
		return "a block device";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	return "not a regular file";
}

/*
 * stat() first, so that a device is never even opened; then open() with
 * O_NONBLOCK, because opening a FIFO for reading waits for a writer -- for
 * ever, if none comes -- and the path may have been replaced by one since
 * the stat(); fstat() of what was opened decides. A regular file ignores
 * O_NONBLOCK, but it is cleared all the same so that reads behave as usual.
 */
int nn__open_regular(int *fd, struct stat *st, const char *path)
{
	*fd = -1;
	if (stat(path, st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? NN_ENOENT : NN_EIO;
	if (!S_ISREG(st->st_mode))
		return NN_ENOTFILE;
	int f = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (f < 0) /* replaced by a socket since the stat(): ENXIO */
		return errno == ENOENT || errno == ENOTDIR ? NN_ENOENT
		       : errno == ENXIO ? NN_ENOTFILE : NN_EIO;
	int rc = NN_EIO;
	int flags;
	if (fstat(f, st) != 0)
		goto fail;
	rc = NN_ENOTFILE;
	if (!S_ISREG(st->st_mode))
		goto fail;
	rc = NN_EIO;
	if ((flags = fcntl(f, F_GETFL)) < 0 || fcntl(f, F_SETFL, flags & ~O_NONBLOCK) < 0)
		goto fail;
	*fd = f;
	return 0;
fail:;
	int e = errno;
	close(f);
	errno = e; /* the caller's message names the first failure */
	return rc;
}

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
