/*
 * The one atomic writer (lib/io/fileio.c), under nn_model_save,
 * nn_history_write_csv and every program's output: a regular file appears
 * only complete; a FIFO or a character device is written in place and
 * stays what it is; a socket, a block device or a directory is refused and
 * left alone. Device nodes are made in a temporary directory (root only);
 * the system's /dev/null is written only where it cannot be replaced.
 */
#define _XOPEN_SOURCE 700 /* mknod() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "nn/common.h"
#include "nn_internal.h"
#include "suites.h"

static char dir[4096];

static void make_dir(void)
{
	const char *base = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/nn-test-fileio-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char p[8192];
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	closedir(d);
	rmdir(dir);
}

/* The names in dir that hold ".tmp." (temporary files left behind). */
static int temporaries(void)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strstr(e->d_name, ".tmp.") != NULL;
	closedir(d);
	return n;
}

static void path_of(char *p, size_t n, const char *name)
{
	snprintf(p, n, "%s/%s", dir, name);
}

static void assert_contents(const char *path, const char *want)
{
	char got[256] = "";
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = '\0';
	ck_assert_str_eq(got, want);
}

START_TEST(regular_files)
{
	make_dir();
	char p[8192], link[8192];
	path_of(p, sizeof(p), "a.txt");
	ck_assert_int_eq(nn__write_atomic(p, "new", 3), 0); /* a new file */
	assert_contents(p, "new");
	ck_assert_int_eq(nn__write_atomic(p, "second", 6), 0); /* replaced whole */
	assert_contents(p, "second");
	/* through a symbolic link: the file it names is replaced, the link kept */
	path_of(link, sizeof(link), "link.txt");
	ck_assert_int_eq(symlink("a.txt", link), 0);
	ck_assert_int_eq(nn__write_atomic(link, "third", 5), 0);
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	assert_contents(p, "third");
	/* a stream abandoned half-way leaves the old file and no temporary */
	nn__out o;
	ck_assert_int_eq(nn__out_open(&o, p), 0);
	ck_assert_ptr_nonnull(o.tmp);
	fputs("half", o.fp);
	nn__out_abort(&o);
	nn__out_abort(&o); /* a reset o: a no-op */
	assert_contents(p, "third");
	ck_assert_int_eq(temporaries(), 0);
	remove_dir();
}
END_TEST

START_TEST(fifo_in_place)
{
	make_dir();
	char p[8192];
	path_of(p, sizeof(p), "fifo");
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) { /* the reader: exit 0 when it got exactly "abc" */
		alarm(10); /* a writer that never opens the FIFO must not hang the test */
		char buf[16];
		int fd = open(p, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
		_exit(n == 3 && memcmp(buf, "abc", 3) == 0 ? 0 : 1);
	}
	int rc = nn__write_atomic(p, "abc", 3);
	int status = -1;
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_int_eq(rc, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	struct stat st;
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_msg(S_ISFIFO(st.st_mode), "the FIFO was replaced by a regular file");
	ck_assert_int_eq(temporaries(), 0);
	remove_dir();
}
END_TEST

/* A character device keeps its node: a private null device (made when
 * mknod is allowed), then -- only once that passed, or where /dev cannot be
 * written anyway -- the system's /dev/null. */
START_TEST(devices)
{
	make_dir();
	char p[8192];
	struct stat before, after;
	path_of(p, sizeof(p), "null");
	int private_ok = 0;
	if (mknod(p, S_IFCHR | 0666, makedev(1, 3)) == 0) {
		ck_assert_int_eq(nn__write_atomic(p, "gone", 4), 0);
		ck_assert_int_eq(stat(p, &after), 0);
		ck_assert_msg(S_ISCHR(after.st_mode), "the device node was replaced");
		private_ok = 1;
		/* a block device is refused and left alone */
		path_of(p, sizeof(p), "blk");
		ck_assert_int_eq(mknod(p, S_IFBLK | 0600, makedev(7, 200)), 0);
		errno = 0;
		ck_assert_int_eq(nn__write_atomic(p, "disk", 4), NN_EIO);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_int_eq(stat(p, &after), 0);
		ck_assert(S_ISBLK(after.st_mode));
	}
	if (private_ok || access("/dev", W_OK) != 0) {
		ck_assert_int_eq(stat("/dev/null", &before), 0);
		ck_assert_int_eq(nn__write_atomic("/dev/null", "gone", 4), 0);
		ck_assert_int_eq(stat("/dev/null", &after), 0);
		ck_assert(S_ISCHR(after.st_mode) && after.st_ino == before.st_ino);
	}
	ck_assert_int_eq(temporaries(), 0);
	remove_dir();
}
END_TEST

START_TEST(refused)
{
	make_dir();
	char p[8192];
	struct stat st;
	/* a directory */
	errno = 0;
	ck_assert_int_eq(nn__write_atomic(dir, "x", 1), NN_EIO);
	ck_assert_int_eq(errno, EISDIR);
	/* a socket */
	path_of(p, sizeof(p), "sock");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	ck_assert_uint_lt(strlen(p), sizeof(addr.sun_path));
	strcpy(addr.sun_path, p);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&addr, sizeof(addr)), 0);
	errno = 0;
	ck_assert_int_eq(nn__write_atomic(p, "x", 1), NN_EIO);
	ck_assert_int_eq(errno, ENXIO);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	close(s);
	/* no directory above */
	path_of(p, sizeof(p), "none/x");
	errno = 0;
	ck_assert_int_eq(nn__write_atomic(p, "x", 1), NN_EIO);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(nn__write_atomic(NULL, "x", 1), NN_ENULL);
	ck_assert_int_eq(temporaries(), 0);
	remove_dir();
}
END_TEST

Suite *fileio_suite(void)
{
	Suite *s = suite_create("fileio");
	TCase *tc = tcase_create("files");
	tcase_add_test(tc, regular_files);
	tcase_add_test(tc, fifo_in_place);
	tcase_add_test(tc, devices);
	tcase_add_test(tc, refused);
	suite_add_tcase(s, tc);
	return s;
}
