/*
 * Files: opened for reading only when they are regular files, and written
 * so that a failure never leaves a partial one behind.
 *
 * What a path is decides how it is written, never its name:
 *   - a regular file, or a path that does not exist yet, is written to a
 *     temporary name beside it and renamed over it once complete, so that
 *     readers see the old file or the new one, never a mixture (through a
 *     symbolic link, the file it points to is replaced and the link kept);
 *   - a FIFO or a character device (a pipe, /dev/stdout, /dev/null) is
 *     written in place: renaming over it would replace the device node or
 *     the pipe by a regular file -- as root, `-o /dev/null` would replace
 *     the system's /dev/null -- and a stream has no old contents to keep;
 *   - anything else is refused: a directory (EISDIR), a socket (ENXIO, what
 *     open() says of one), a block device (EINVAL: writing a disk in place
 *     is never what a save means, and replacing its node is worse).
 * Opening a FIFO waits for a reader, as any writer of a FIFO does.
 * This file is also compiled into the programs' toolkit (tools/common),
 * which streams CSV and PNG through the same functions.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* Where a write to path goes: *target (malloc'ed) is the name to replace,
 * symbolic links resolved; *in_place is 1 for a FIFO or a character device. */
static int out_target(char **target, int *in_place, const char *path)
{
	struct stat st, lst;
	*target = NULL;
	*in_place = 0;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return NN_EIO;
		*target = strdup(path); /* a new file (or a dangling link, replaced) */
		return *target ? 0 : NN_ENOMEM;
	}
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
		*in_place = 1;
		*target = strdup(path);
		return *target ? 0 : NN_ENOMEM;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : S_ISSOCK(st.st_mode) ? ENXIO : EINVAL;
		return NN_EIO;
	}
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		char *real = realpath(path, NULL);
		if (!real)
			return errno == ENOMEM ? NN_ENOMEM : NN_EIO;
		*target = real;
		return 0;
	}
	*target = strdup(path);
	return *target ? 0 : NN_ENOMEM;
}

/* Open a FIFO or character device for writing, as it is (no truncation);
 * if the path has become something else since it was looked at, -1. */
static int open_in_place(const char *path)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
		close(fd);
		errno = EAGAIN; /* replaced under us: the caller looks again */
		return -1;
	}
	return fd;
}

/* Create a temporary file beside target, mode 0666 less the umask as for
 * any new file (mkstemp would make it 0600), under a name of our own:
 * the pid and a counter, retried on a clash. */
static int open_temporary(char **tmp, const char *target)
{
	static unsigned counter;
	size_t n = strlen(target) + 48;
	*tmp = malloc(n);
	if (!*tmp)
		return -1;
	int fd = -1;
	for (int tries = 0; tries < 100 && fd < 0; tries++) {
		snprintf(*tmp, n, "%s.tmp.%ld.%u", target, (long)getpid(), counter++);
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

/* Free o's names and reset it, keeping errno. */
static void out_reset(nn__out *o)
{
	int e = errno;
	free(o->path);
	free(o->tmp);
	*o = (nn__out){ 0 };
	errno = e;
}

int nn__out_open(nn__out *o, const char *path)
{
	if (!o)
		return NN_ENULL;
	*o = (nn__out){ 0 };
	if (!path || !*path)
		return NN_ENULL;
	int fd = -1, rc = NN_EIO;
	for (int tries = 0; tries < 3 && fd < 0; tries++) {
		int in_place;
		free(o->path);
		if ((rc = out_target(&o->path, &in_place, path)) != 0)
			break;
		rc = NN_EIO;
		fd = in_place ? open_in_place(o->path) : open_temporary(&o->tmp, o->path);
		if (fd < 0 && errno != EAGAIN)
			break;
	}
	if (fd >= 0 && !(o->fp = fdopen(fd, "wb"))) {
		int e = errno;
		close(fd);
		if (o->tmp)
			unlink(o->tmp);
		errno = e;
		fd = -1;
	}
	if (fd < 0) {
		if (rc == NN_EIO && errno == ENOMEM)
			rc = NN_ENOMEM;
		out_reset(o);
		return rc;
	}
	return 0;
}

/* Make the rename itself durable: fsync the directory that holds path. */
static void sync_directory(const char *path)
{
	char *dir = strdup(path);
	if (!dir)
		return;
	char *slash = strrchr(dir, '/');
	const char *d = slash ? (slash == dir ? "/" : (*slash = 0, dir)) : ".";
	int dfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
}

int nn__out_commit(nn__out *o)
{
	if (!o || !o->fp)
		return NN_ENULL;
	/* a stream written in place has nothing to sync or rename: pipes and
	 * character devices refuse fsync */
	int ok = fflush(o->fp) == 0 && !ferror(o->fp) && (!o->tmp || fsync(fileno(o->fp)) == 0);
	int e = errno;
	if (fclose(o->fp) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	o->fp = NULL;
	if (ok && o->tmp && rename(o->tmp, o->path) != 0) {
		ok = 0;
		e = errno;
	}
	if (ok && o->tmp)
		sync_directory(o->path);
	else if (o->tmp)
		unlink(o->tmp);
	errno = e;
	out_reset(o);
	return ok ? 0 : NN_EIO;
}

void nn__out_abort(nn__out *o)
{
	if (!o)
		return;
	int e = errno;
	if (o->fp) {
		fclose(o->fp);
		if (o->tmp)
			unlink(o->tmp);
	}
	errno = e;
	out_reset(o);
}

/* Write buf to path as nn__out does: atomically for a regular file. */
int nn__write_atomic(const char *path, const void *buf, size_t len)
{
	nn__out o;
	int rc = nn__out_open(&o, path);
	if (rc)
		return rc;
	if (len && fwrite(buf, 1, len, o.fp) != len) {
		nn__out_abort(&o);
		return NN_EIO;
	}
	return nn__out_commit(&o);
}
