/*
 * MNIST front end: options, the byte source (gzip or raw, file or memory)
 * that the IDX and pickle readers share, the directory search and
 * nn_mnist_load().
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnist_internal.h"
#include "nn_internal.h"

#define SRC_BUF (64 * 1024)

int nn__fail(char *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, NN_MNIST_ERROR_LEN, fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *nn__printable(char out[NN__SAFE_LEN], const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t k = n < NN__SAFE_LEN - 1 ? n : NN__SAFE_LEN - 1;
	for (size_t i = 0; i < k; i++)
		out[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	out[k] = '\0';
	return out;
}

void nn__image_shape(size_t *rows, size_t *cols, size_t n)
{
	size_t r = (size_t)sqrt((double)n);
	while (r > 0 && r * r > n)
		r--;
	while ((r + 1) * (r + 1) <= n)
		r++;
	if (r * r == n) {
		*rows = r;
		*cols = r;
	} else {
		*rows = n;
		*cols = 1;
	}
}

/* ---- the byte source ---------------------------------------------------- */

/* Keep the unread input bytes and top the buffer up from the file. */
static int src_fill(nn__src *s, char *err)
{
	if (s->in_eof)
		return 0;
	if (s->raw_avail > 0 && s->raw_next != s->in)
		memmove(s->in, s->raw_next, s->raw_avail);
	s->raw_next = s->in;
	size_t want = s->in_cap - s->raw_avail;
	size_t got = fread(s->in + s->raw_avail, 1, want, s->f);
	s->raw_avail += got;
	if (got < want) {
		if (ferror(s->f))
			return nn__fail(err, NN_EIO, "%s: read error: %s", s->name,
					strerror(errno));
		s->in_eof = 1;
	}
	return 0;
}

/* After a gzip member or at the start: 1 when the next bytes are 1f 8b. */
static int src_gzip_next(nn__src *s, int *is_gz, char *err)
{
	int rc = 0;
	if (s->raw_avail < 2 && (rc = src_fill(s, err)) < 0)
		return rc;
	*is_gz = s->raw_avail >= 2 && s->raw_next[0] == 0x1f && s->raw_next[1] == 0x8b;
	return 0;
}

static int src_start(nn__src *s, char *err)
{
	int is_gz = 0;
	int rc = src_gzip_next(s, &is_gz, err);
	if (rc < 0)
		return rc;
	if (is_gz) {
		memset(&s->zs, 0, sizeof s->zs);
		/* 16 + MAX_WBITS: a gzip wrapper only, whose CRC and length inflate checks. */
		int z = inflateInit2(&s->zs, 16 + MAX_WBITS);
		if (z != Z_OK)
			return nn__fail(err, z == Z_MEM_ERROR ? NN_ENOMEM : NN_EGZIP,
					"%s: cannot start inflate", s->name);
		s->z_live = 1;
		s->gz = 1;
	}
	return 0;
}

int nn__src_open_mem(nn__src *s, const void *buf, size_t len, const char *name, char *err)
{
	memset(s, 0, sizeof *s);
	s->name = name ? name : "<memory>";
	s->raw_next = buf;
	s->raw_avail = len;
	s->in_eof = 1;
	return src_start(s, err);
}

int nn__src_open_file(nn__src *s, const char *path, char *err)
{
	memset(s, 0, sizeof *s);
	s->name = path;
	struct stat st;
	int fd = -1;
	int rc = nn__open_regular(&fd, &st, path);
	if (rc == NN_ENOTFILE)
		return nn__fail(err, rc, "%s: %s, not a regular file", path, nn__file_kind(&st));
	if (rc < 0)
		return nn__fail(err, rc, "%s: %s", path, strerror(errno));
	s->f = fdopen(fd, "rb");
	if (!s->f) {
		close(fd);
		return nn__fail(err, NN_EIO, "%s: %s", path, strerror(errno));
	}
	s->in = malloc(SRC_BUF);
	if (!s->in) {
		fclose(s->f);
		s->f = NULL;
		return nn__fail(err, NN_ENOMEM, "%s: out of memory", path);
	}
	s->in_cap = SRC_BUF;
	s->raw_next = s->in;
	rc = src_start(s, err);
	if (rc < 0)
		nn__src_close(s);
	return rc;
}

void nn__src_close(nn__src *s)
{
	if (!s)
		return;
	if (s->z_live)
		inflateEnd(&s->zs);
	if (s->f)
		fclose(s->f);
	free(s->in);
	memset(s, 0, sizeof *s);
}

static int src_read_raw(nn__src *s, unsigned char *out, size_t n, size_t *got, char *err)
{
	while (*got < n) {
		if (s->raw_avail == 0) {
			int rc = src_fill(s, err);
			if (rc < 0)
				return rc;
			if (s->raw_avail == 0) {
				s->done = 1;
				return 0;
			}
		}
		size_t k = n - *got < s->raw_avail ? n - *got : s->raw_avail;
		memcpy(out + *got, s->raw_next, k);
		s->raw_next += k;
		s->raw_avail -= k;
		*got += k;
	}
	return 0;
}

static int src_read_gz(nn__src *s, unsigned char *out, size_t n, size_t *got, char *err)
{
	while (*got < n) {
		int rc;
		if (s->raw_avail == 0 && (rc = src_fill(s, err)) < 0)
			return rc;
		/* zlib counts in uInt: feed and drain at most 1 GiB per call. */
		uInt in_n = s->raw_avail > (1u << 30) ? (1u << 30) : (uInt)s->raw_avail;
		uInt out_n = n - *got > (1u << 30) ? (1u << 30) : (uInt)(n - *got);
		s->zs.next_in = (Bytef *)s->raw_next;
		s->zs.avail_in = in_n;
		s->zs.next_out = out + *got;
		s->zs.avail_out = out_n;
		int z = inflate(&s->zs, Z_NO_FLUSH);
		s->raw_next += in_n - s->zs.avail_in;
		s->raw_avail -= in_n - s->zs.avail_in;
		*got += out_n - s->zs.avail_out;
		s->gz_in += in_n - s->zs.avail_in;
		s->gz_out += out_n - s->zs.avail_out;
		if (s->gz_out > NN__GZ_GRACE && s->gz_out / NN__GZ_MAX_RATIO > s->gz_in)
			return nn__fail(err, NN_ESIZE,
					"%s: the gzip stream inflates more than %d-fold (%llu "
					"bytes from %llu), as a decompression bomb does; if the "
					"file is genuine, gunzip it and read it uncompressed",
					s->name, NN__GZ_MAX_RATIO, (unsigned long long)s->gz_out,
					(unsigned long long)s->gz_in);
		if (z == Z_STREAM_END) {
			/* Another member may follow (as `cat a.gz b.gz` makes); anything else is garbage. */
			int more = 0;
			if ((rc = src_gzip_next(s, &more, err)) < 0)
				return rc;
			if (more) {
				inflateReset(&s->zs);
				continue;
			}
			if (s->raw_avail > 0)
				return nn__fail(err, NN_EGZIP,
						"%s: bytes after the end of the gzip stream",
						s->name);
			s->done = 1;
			return 0;
		}
		if (z == Z_BUF_ERROR) {
			/* No progress: inflate needs input that is not there. */
			if (s->raw_avail == 0 && s->in_eof)
				return nn__fail(err, NN_ETRUNC, "%s: the gzip stream ends early",
						s->name);
			if (s->raw_avail == 0)
				continue;
			return nn__fail(err, NN_EGZIP, "%s: inflate made no progress", s->name);
		}
		if (z == Z_MEM_ERROR)
			return nn__fail(err, NN_ENOMEM, "%s: out of memory in inflate", s->name);
		if (z != Z_OK)
			return nn__fail(err, NN_EGZIP, "%s: corrupt gzip stream (%s)", s->name,
					s->zs.msg ? s->zs.msg : "inflate failed");
	}
	return 0;
}

int nn__src_read(nn__src *s, void *buf, size_t n, size_t *got, char *err)
{
	*got = 0;
	if (s->done || n == 0)
		return 0;
	return s->gz ? src_read_gz(s, buf, n, got, err) : src_read_raw(s, buf, n, got, err);
}

int nn__src_slurp(unsigned char **buf, size_t *len, nn__src *s, size_t cap, char *err)
{
	*buf = NULL;
	*len = 0;
	unsigned char *b = NULL;
	size_t have = 0, size = 0;
	int rc = 0;
	for (;;) {
		if (have == size) {
			if (size == cap) {
				/* Full: one more byte means the data is larger than we accept. */
				unsigned char extra;
				size_t got = 0;
				if ((rc = nn__src_read(s, &extra, 1, &got, err)) < 0)
					goto out;
				if (got) {
					rc = nn__fail(err, NN_ESIZE,
						      "%s: more than %zu bytes of data", s->name,
						      cap);
					goto out;
				}
				break;
			}
			size_t nsize = size ? (size > cap / 2 ? cap : size * 2)
					    : (cap < SRC_BUF ? cap : SRC_BUF);
			unsigned char *nb = realloc(b, nsize);
			if (!nb) {
				rc = nn__fail(err, NN_ENOMEM, "%s: out of memory", s->name);
				goto out;
			}
			b = nb;
			size = nsize;
		}
		size_t got = 0;
		if ((rc = nn__src_read(s, b + have, size - have, &got, err)) < 0)
			goto out;
		have += got;
		if (s->done)
			break;
	}
	*buf = b;
	*len = have;
	b = NULL;
out:
	free(b);
	return rc;
}

/* ---- what a path holds ------------------------------------------------------ */

/* The opcodes nn reads that a protocol 0 or 1 pickle can open with: MARK
 * (how Python begins a tuple of arrays), EMPTY_TUPLE, NONE, the integers,
 * the strings and GLOBAL. A protocol 2+ pickle opens with PROTO, 0x80. */
static const char pickle_openers[] = "()NIJKLMSTUVXc";

int nn__src_sniff(nn_mnist_kind *kind, nn__src *s, char *err)
{
	unsigned char b[4];
	size_t got = 0;
	int rc = nn__src_read(s, b, sizeof b, &got, err);
	if (rc < 0)
		return rc;
	if (got == 0)
		return nn__fail(err, NN_ETRUNC, "%s: empty%s", s->name,
				s->gz ? " once decompressed" : "");
	if (b[0] == 0x80 || memchr(pickle_openers, b[0], sizeof pickle_openers - 1)) {
		*kind = NN_MNIST_PICKLE;
		return 0;
	}
	static const unsigned char idx[3] = { 0, 0, 0x08 };
	if (got < sizeof b && memcmp(b, idx, got < 3 ? got : 3) == 0)
		return nn__fail(err, NN_ETRUNC, "%s: %zu bytes, too few for an IDX magic number",
				s->name, got);
	while (got < sizeof b) /* for the message: what is missing shows as 00 */
		b[got++] = 0;
	uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	if (v == 0x803 || v == 0x801) {
		*kind = v == 0x803 ? NN_MNIST_IDX_IMAGES : NN_MNIST_IDX_LABELS;
		return 0;
	}
	if (memcmp(b, "\x89NNM", 4) == 0)
		return nn__fail(err, NN_EMAGIC, "%s: an nn model file, not MNIST data", s->name);
	if (b[0] == 0 && b[1] == 0)
		return nn__fail(err, NN_EMAGIC,
				"%s: magic 0x%08x: an IDX file of item type 0x%02x in %u "
				"dimensions; nn reads unsigned bytes (08) in 3 (images) or 1 (labels)",
				s->name, (unsigned)v, b[2], b[3]);
	return nn__fail(err, NN_EMAGIC,
			"%s: neither IDX (00 00 08 03 or 01) nor a pickle: it starts %02x %02x %02x %02x%s",
			s->name, b[0], b[1], b[2], b[3], s->gz ? " once decompressed" : "");
}

int nn__mnist_sniff(nn_mnist_kind *kind, const char *path, char *err)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		int e = errno;
		return nn__fail(err, (e == ENOENT || e == ENOTDIR) ? NN_ENOENT : NN_EIO, "%s: %s",
				path, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		*kind = NN_MNIST_DIRECTORY;
		return 0;
	}
	nn__src s;
	int rc = nn__src_open_file(&s, path, err); /* refuses a FIFO or device */
	if (rc == 0)
		rc = nn__src_sniff(kind, &s, err);
	nn__src_close(&s);
	return rc;
}

NN_EXPORT int nn_mnist_sniff(nn_mnist_kind *kind, const char *path)
{
	if (!kind || !path)
		return NN_ENULL;
	nn_mnist_kind k;
	int rc = nn__mnist_sniff(&k, path, NULL);
	if (rc == 0)
		*kind = k;
	return rc;
}

/* ---- options and the front end ------------------------------------------ */

NN_EXPORT nn_mnist_options nn_mnist_defaults(void)
{
	return (nn_mnist_options){ .max_train = NN_ALL, .max_test = NN_ALL, .scale = 255.0 };
}

int nn__mnist_check_options(const nn_mnist_options *opt, char *err)
{
	if (!(isfinite(opt->scale) && opt->scale > 0.0))
		return nn__fail(err, NN_EINVAL, "pixel scale %g is not a finite value > 0",
				opt->scale);
	return 0;
}

NN_EXPORT void nn_mnist_free(nn_mnist *m)
{
	if (!m)
		return;
	nn_matrix_free(&m->train_x);
	nn_matrix_free(&m->test_x);
	nn_labels_free(&m->train_y);
	nn_labels_free(&m->test_y);
	m->rows = m->cols = 0;
	m->error[0] = '\0';
}

/* The standard IDX names and, where one is absent, the pattern that finds a
 * unique substitute such as train-images-first3000-idx3-ubyte.gz. */
static const struct {
	const char *name, *prefix, *tag;
} idx_files[4] = {
	{ "train-images-idx3-ubyte", "train-images", "idx3-ubyte" },
	{ "train-labels-idx1-ubyte", "train-labels", "idx1-ubyte" },
	{ "t10k-images-idx3-ubyte", "t10k-images", "idx3-ubyte" },
	{ "t10k-labels-idx1-ubyte", "t10k-labels", "idx1-ubyte" },
};

static char *join(const char *dir, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s%s", dir, name, suffix);
	return p;
}

/* Anything but a directory stands for a file here: a FIFO or a device under
 * a file's name is then refused by name when it is opened, not skipped as if
 * it were absent. */
static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static int find_idx(char **path, const char *dir, int which, char *err)
{
	const char *suffixes[2] = { "", ".gz" };
	*path = NULL;
	for (int k = 0; k < 2; k++) {
		char *p = join(dir, idx_files[which].name, suffixes[k]);
		if (!p)
			return nn__fail(err, NN_ENOMEM, "%s: out of memory", dir);
		if (is_file(p)) {
			*path = p;
			return 0;
		}
		free(p);
	}
	DIR *d = opendir(dir);
	if (!d)
		return nn__fail(err, NN_EIO, "%s: %s", dir, strerror(errno));
	size_t found = 0;
	char *cand = NULL;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, idx_files[which].prefix, strlen(idx_files[which].prefix)) !=
			0 ||
		    !strstr(e->d_name, idx_files[which].tag))
			continue;
		char *p = join(dir, e->d_name, "");
		if (!p) {
			rc = nn__fail(err, NN_ENOMEM, "%s: out of memory", dir);
			goto out;
		}
		if (!is_file(p)) {
			free(p);
			continue;
		}
		found++;
		free(cand);
		cand = p;
	}
	if (found != 1) {
		rc = nn__fail(err, NN_ENOENT, "%s: no %s[.gz]%s", dir, idx_files[which].name,
			      found ? ", and several files could stand for it" : "");
		goto out;
	}
	*path = cand;
	cand = NULL;
out:
	free(cand);
	closedir(d);
	return rc;
}

static int load_split(nn_matrix *X, nn_labels *y, nn__idx_info *info, const char *img_path,
		      const char *lab_path, size_t first, size_t max, double scale, char *err)
{
	nn__src s;
	nn__idx_info li;
	int rc = nn__src_open_file(&s, img_path, err);
	if (rc < 0)
		return rc;
	rc = nn__idx_images(X, info, &s, first, max, scale, err);
	nn__src_close(&s);
	if (rc < 0)
		return rc;
	if ((rc = nn__src_open_file(&s, lab_path, err)) < 0)
		return rc;
	rc = nn__idx_labels(y, &li, &s, first, max, err);
	nn__src_close(&s);
	if (rc < 0)
		return rc;
	if (li.count != info->count)
		return nn__fail(err, NN_EMISMATCH, "%s holds %zu images but %s holds %zu labels",
				img_path, info->count, lab_path, li.count);
	return 0;
}

static int load_dir(nn_mnist *out, const char *dir, const nn_mnist_options *opt)
{
	char *paths[4] = { NULL, NULL, NULL, NULL };
	nn__idx_info tr, te;
	int rc = 0;
	for (int k = 0; k < 4; k++)
		if ((rc = find_idx(&paths[k], dir, k, out->error)) < 0)
			goto out;
	if ((rc = load_split(&out->train_x, &out->train_y, &tr, paths[0], paths[1],
			     opt->first_train, opt->max_train, opt->scale, out->error)) < 0)
		goto out;
	if ((rc = load_split(&out->test_x, &out->test_y, &te, paths[2], paths[3], 0, opt->max_test,
			     opt->scale, out->error)) < 0)
		goto out;
	if (tr.rows != te.rows || tr.cols != te.cols) {
		rc = nn__fail(out->error, NN_EMISMATCH,
			      "%s: training images are %zu x %zu, test images %zu x %zu", dir,
			      tr.rows, tr.cols, te.rows, te.cols);
		goto out;
	}
	out->rows = tr.rows;
	out->cols = tr.cols;
out:
	for (int k = 0; k < 4; k++)
		free(paths[k]);
	return rc;
}

/* Reset out, fill *o with the options to use, check them. */
static int begin(nn_mnist *out, nn_mnist_options *o, const char *path, const nn_mnist_options *opt)
{
	if (!out)
		return NN_ENULL;
	memset(out, 0, sizeof *out);
	if (!path)
		return nn__fail(out->error, NN_ENULL, "no path given");
	*o = opt ? *opt : nn_mnist_defaults();
	return nn__mnist_check_options(o, out->error);
}

static int finish(nn_mnist *out, int rc)
{
	if (rc < 0) {
		char keep[NN_MNIST_ERROR_LEN];
		memcpy(keep, out->error, sizeof keep);
		nn_mnist_free(out);
		memcpy(out->error, keep, sizeof keep);
	} else {
		out->error[0] = '\0';
	}
	return rc;
}

NN_EXPORT int nn_pickle_read_mnist(nn_mnist *out, const char *path, const nn_mnist_options *opt)
{
	nn_mnist_options o;
	int rc = begin(out, &o, path, opt);
	if (rc < 0)
		return out ? finish(out, rc) : rc;
	nn__src s;
	unsigned char *buf = NULL;
	size_t len = 0;
	if ((rc = nn__src_open_file(&s, path, out->error)) < 0)
		return finish(out, rc);
	rc = nn__src_slurp(&buf, &len, &s, NN__PICKLE_MAX_BYTES, out->error);
	nn__src_close(&s);
	if (rc == 0)
		rc = nn__pickle_mnist(out, buf, len, path, &o, out->error);
	free(buf);
	return finish(out, rc);
}

NN_EXPORT int nn_mnist_load(nn_mnist *out, const char *path, const nn_mnist_options *opt)
{
	nn_mnist_options o;
	int rc = begin(out, &o, path, opt);
	if (rc < 0)
		return out ? finish(out, rc) : rc;
	/* what the path is and holds decides, never its name */
	nn_mnist_kind kind;
	if ((rc = nn__mnist_sniff(&kind, path, out->error)) < 0)
		return finish(out, rc);
	if (kind == NN_MNIST_DIRECTORY)
		return finish(out, load_dir(out, path, &o));
	if (kind == NN_MNIST_PICKLE)
		return nn_pickle_read_mnist(out, path, &o);
	int images = kind == NN_MNIST_IDX_IMAGES;
	rc = nn__fail(out->error, NN_EMAGIC,
		      "%s: an IDX %s file alone; a data set needs the four IDX files: give "
		      "the directory that holds them (nn_idx_read_%s reads one file)",
		      path, images ? "image" : "label", images ? "images" : "labels");
	return finish(out, rc);
}
