/*
 * The programs' files: output paths checked before any work, output files
 * through lib/io/fileio.c's writer (the library's own, compiled in here
 * too), and model files.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nn_internal.h"
#include "tool.h"
#include "tool-internal.h"

/* What a path names: an existing file by device and inode; a file still to
 * be made by its directory's device and inode and its name. */
struct identity {
	int exists;
	dev_t dev;
	ino_t ino;
	const char *name; /* the last component, for a file still to be made */
};

/* The directory part of path ("." when there is none), malloc'ed. */
static char *dir_of(const char *path)
{
	size_t n = strlen(path);
	char *dir = malloc(n + 2);
	if (!dir)
		return NULL;
	memcpy(dir, path, n + 1);
	char *slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

/* 0 when found (id filled), else -1 with errno. */
static int identify(struct identity *id, const char *path)
{
	struct stat st;
	*id = (struct identity){ 0 };
	if (stat(path, &st) == 0) {
		*id = (struct identity){ 1, st.st_dev, st.st_ino, NULL };
		return 0;
	}
	char *dir = dir_of(path);
	int rc = -1;
	if (dir && stat(dir, &st) == 0) {
		const char *slash = strrchr(path, '/');
		*id = (struct identity){ 0, st.st_dev, st.st_ino, slash ? slash + 1 : path };
		rc = 0;
	}
	free(dir);
	return rc;
}

static int same_file(const struct identity *a, const struct identity *b)
{
	return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
	       (a->exists || strcmp(a->name, b->name) == 0);
}

/* What a path is, for a refusal. */
static const char *kind_of(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISSOCK(m) ? "a socket" : S_ISBLK(m) ? "a block device"
	       : "not a regular file";
}

/* One output: a regular file (or a new one) in a writable directory -- the
 * directory of the file a symbolic link names, where its temporary goes --
 * or a FIFO or character device written in place. */
static int check_output(tool_ctx *ctx, const tool_path *p)
{
	struct stat st;
	char *real = NULL;
	if (stat(p->path, &st) == 0) {
		if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
			if (access(p->path, W_OK) != 0) {
				tool_error(ctx, "%s %s: %s", p->flag, p->path, strerror(errno));
				return TOOL_RUNTIME;
			}
			return 0;
		}
		if (!S_ISREG(st.st_mode)) {
			tool_error(ctx, "%s %s: is %s; give a regular file, a FIFO or a character "
				   "device", p->flag, p->path, kind_of(st.st_mode));
			return TOOL_RUNTIME;
		}
		real = realpath(p->path, NULL);
	}
	char *dir = dir_of(real ? real : p->path);
	free(real);
	if (!dir) {
		tool_error(ctx, "%s", strerror(ENOMEM));
		return TOOL_RUNTIME;
	}
	int rc = 0;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		tool_error(ctx, "%s: %s", p->path,
			   stat(dir, &st) != 0 ? strerror(errno) : "not a directory above it");
		rc = TOOL_RUNTIME;
	} else if (access(dir, W_OK | X_OK) != 0) {
		tool_error(ctx, "%s: %s", p->path, strerror(errno));
		rc = TOOL_RUNTIME;
	}
	free(dir);
	return rc;
}

int tool_check_paths(tool_ctx *ctx, const tool_path *inputs, size_t n_in,
		     const tool_path *outputs, size_t n_out)
{
	for (size_t i = 0; i < n_out; i++)
		if (outputs[i].path && strcmp(outputs[i].path, "-") != 0 &&
		    check_output(ctx, &outputs[i]))
			return TOOL_RUNTIME;
	/* every output against every input and every output before it: a save
	 * over an input would destroy it, two outputs would overwrite each other */
	for (size_t i = 0; i < n_out; i++) {
		struct identity out, other;
		const tool_path *o = &outputs[i];
		if (!o->path || strcmp(o->path, "-") == 0 || identify(&out, o->path) != 0)
			continue;
		/* a stream such as /dev/null may well take two outputs */
		struct stat st;
		if (out.exists && stat(o->path, &st) == 0 && !S_ISREG(st.st_mode))
			continue;
		for (size_t k = 0; k < n_in + i; k++) {
			const tool_path *q = k < n_in ? &inputs[k] : &outputs[k - n_in];
			if (!q->path || identify(&other, q->path) != 0 || !same_file(&out, &other))
				continue;
			tool_error(ctx, "%s %s: the same file as %s %s; give another path", o->flag,
				   o->path, q->flag, q->path);
			return TOOL_RUNTIME;
		}
	}
	return 0;
}

const char *tool_path_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "standard output" : path;
}

/*
 * Hold the termination signals for a write to path, unless it goes in place
 * (a FIFO or a character device: no temporary file, and opening a FIFO may
 * wait for a reader, which Ctrl-C must be able to end). 1 when held.
 */
static int hold_for(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)))
		return 0;
	tool__hold_signals();
	return 1;
}

int tool_out_open(tool_ctx *ctx, tool_out *o, const char *path)
{
	*o = (tool_out){ .path = path };
	if (strcmp(path, "-") == 0) {
		o->fp = stdout;
		return 0;
	}
	o->file = malloc(sizeof(*o->file));
	if (!o->file)
		return tool_nn_error(ctx, NN_ENOMEM, "%s", path);
	/* from the temporary file's creation to its rename or removal */
	o->held = hold_for(path);
	int rc = nn__out_open(o->file, path);
	if (rc) {
		int e = errno;
		free(o->file);
		if (o->held)
			tool__release_signals();
		*o = (tool_out){ 0 };
		errno = e;
		return tool_nn_error(ctx, rc, "%s", path);
	}
	o->fp = o->file->fp;
	return 0;
}

int tool_out_close(tool_ctx *ctx, tool_out *o)
{
	int rc = 0;
	if (!o->fp)
		return 0;
	if (!o->file) {
		errno = 0;
		rc = fflush(stdout) != 0 || ferror(stdout) ? NN_EIO : 0;
	} else {
		rc = nn__out_commit(o->file);
	}
	int e = errno;
	const char *path = o->path;
	free(o->file);
	if (o->held)
		tool__release_signals();
	*o = (tool_out){ 0 };
	if (rc) {
		errno = e;
		return tool_nn_error(ctx, rc, "%s", tool_path_name(path));
	}
	return 0;
}

void tool_out_abort(tool_out *o)
{
	if (o->file) {
		nn__out_abort(o->file);
		free(o->file);
	}
	if (o->held)
		tool__release_signals();
	*o = (tool_out){ 0 };
}

int tool_out_sink(void *user, const void *buf, size_t len)
{
	tool_out *o = user;
	return fwrite(buf, 1, len, o->fp) == len ? 0 : NN_EIO;
}

int tool_save_model(tool_ctx *ctx, const char *path, const nn_net *net,
		    const nn_model_state *state)
{
	int held = hold_for(path);
	int rc = nn_model_save(path, net, state && state->kind ? state : NULL);
	int e = errno;
	if (held)
		tool__release_signals();
	errno = e;
	return rc ? tool_nn_error(ctx, rc, "%s", path) : 0;
}

int tool_save_history(tool_ctx *ctx, const char *path, const nn_history *hist)
{
	int held = hold_for(path);
	int rc = nn_history_write_csv(path, hist);
	int e = errno;
	if (held)
		tool__release_signals();
	errno = e;
	return rc ? tool_nn_error(ctx, rc, "%s", path) : 0;
}

int tool_load_model(tool_ctx *ctx, nn_net **net, const char *path, size_t inputs,
		    size_t classes)
{
	int rc = nn_model_load(net, NULL, path);
	if (rc)
		return tool_nn_error(ctx, rc, "%s", path);
	size_t in = nn_net_width(*net, 0), out = nn_net_width(*net, nn_net_layers(*net));
	const char *why = NULL;
	if (in != inputs)
		why = "inputs";
	else if (!(out == 1 && classes == 2) && out < classes)
		why = "outputs";
	if (why) {
		tool_error(ctx, "%s: the model has %zu %s; the data needs %zu", path,
			   why[0] == 'i' ? in : out, why, why[0] == 'i' ? inputs : classes);
		nn_net_free(*net);
		*net = NULL;
		return TOOL_RUNTIME;
	}
	return 0;
}
