/*
 * Private declarations of the table readers (table.c, csv.c, npy.c), shared
 * with the tests and the fuzz targets. Never installed.
 *
 * The readers meet in one intermediate: the file's C columns as a C x N
 * matrix of doubles (row n of the file is column n), their header names,
 * and -- for the one target column that may hold class names -- the text of
 * each of its cells. table.c takes the target out of it and builds nn_table.
 * Details go to an err buffer of NN_TABLE_ERROR_LEN bytes (nn_table::error)
 * through nn__fail(), the MNIST readers' helper; gzip goes through their
 * byte source (nn__src).
 */
#ifndef NN_TABLE_INTERNAL_H
#define NN_TABLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mnist/mnist_internal.h"
#include "nn/table.h"

_Static_assert(NN_TABLE_ERROR_LEN == NN_MNIST_ERROR_LEN, "nn__fail() writes NN_MNIST_ERROR_LEN bytes");

/* A .npy header may be at most this long: numpy itself refuses more than
 * 10,000 bytes unless told otherwise. */
#define NN__NPY_MAX_HEADER ((size_t)1 << 16)

/* A gzip-compressed table may inflate to at most this much text. */
#define NN__TABLE_MAX_INFLATED ((size_t)1 << 32)

/* The columns of a file before the target is taken out. */
typedef struct nn__cols {
	size_t C;          /* columns */
	size_t N;          /* data rows read */
	double *v;         /* C x N, ld C (capacity cap rows); a text cell of text_col is NaN */
	size_t cap;
	char **names;      /* C header names (one allocation), or NULL without a header */
	size_t text_col;   /* the column whose cells may be text (class names), or SIZE_MAX */
	char *pool;        /* text_col's N cells, each NUL-terminated, at text_off[n] */
	size_t pool_len, pool_cap;
	size_t *text_off;
	int text_numeric;  /* 1 while every cell of text_col is a number */
} nn__cols;

void nn__cols_free(nn__cols *c);

/* An array of n strings in one allocation: n pointers, then the texts. */
typedef struct nn__names {
	char **v;
	char *next; /* where the next text goes */
	size_t n;   /* strings added */
} nn__names;

/* Room for n strings of `bytes` characters in all (their NULs included). */
int nn__names_new(nn__names *s, size_t n, size_t bytes);
/* Append a copy of p[0 .. len) and a NUL; the copy. */
char *nn__names_add(nn__names *s, const char *p, size_t len);

/* ---- csv.c: delimited text ------------------------------------------------ */

typedef struct nn__csv {
	const char *s;     /* the text (not NUL-terminated) and its length */
	size_t n;
	size_t pos;        /* the next data row starts here ... */
	size_t line;       /* ... on this line (1-based) */
	char delim, comment;
	unsigned char stop[256]; /* 1 for the bytes that end an unquoted cell */
	int header;        /* 1: the first row was a header */
	const char *name;  /* for messages */
	char *scratch;     /* a NUL-terminated copy of a long number */
	size_t scratch_cap;
} nn__csv;

/*
 * Start reading text: skip a byte order mark, detect the delimiter (when
 * opt->delimiter is 0) and the header (opt->header -1), count the columns.
 * Sets cols->C and, with a header, cols->names. NN_ESIZE when the text holds
 * no row at all; NN_EFORMAT, NN_ENOMEM.
 */
int nn__csv_start(nn__csv *c, nn__cols *cols, const void *buf, size_t len, const char *name,
		  const nn_table_options *opt, char *err);

/*
 * Parse the data rows (at most max_rows) into cols->v: every cell a finite
 * number, except that cols->text_col (if not SIZE_MAX) keeps its cells' text
 * and may hold other words. NN_ESIZE (no data row), NN_ESHAPE (a row of
 * another length), NN_EFORMAT, NN_ENONFINITE, NN_ENOMEM.
 */
int nn__csv_rows(nn__csv *c, nn__cols *cols, size_t max_rows, char *err);

void nn__csv_end(nn__csv *c);

/* ---- npy.c: numpy arrays ---------------------------------------------------- */

typedef struct nn__npy {
	char kind;           /* 'f', 'i', 'u' or 'b' */
	unsigned size;       /* bytes per item: 1, 2, 4 or 8 */
	int big;             /* 1: big-endian items */
	int fortran;         /* 1: column-major (Fortran) order */
	int ndim;            /* 1 or 2 */
	size_t n, d;         /* shape (n, d); a 1-D array has d = 1 */
	size_t data_off;     /* the data starts here ... */
	size_t data_bytes;   /* ... and is exactly this long: n * d * size */
} nn__npy;

/* 1 when buf starts with the .npy magic "\x93NUMPY". */
int nn__npy_magic(const void *buf, size_t len);

/*
 * Parse and check a whole .npy file held in memory: its magic, version and
 * header, and that exactly n * d * size data bytes follow. Nothing is
 * allocated. NN_EMAGIC, NN_EVERSION, NN_EFORMAT, NN_ESHAPE, NN_ESIZE,
 * NN_ETRUNC.
 */
int nn__npy_parse(nn__npy *h, const unsigned char *buf, size_t len, const char *name, char *err);

/*
 * The first `keep` rows of a parsed array as doubles: out is d x keep, ld d
 * (row r of the array is column r). NN_ENONFINITE (NaN or Inf), NN_EFORMAT
 * (a bool that is neither 0 nor 1).
 */
int nn__npy_convert(double *out, const nn__npy *h, const unsigned char *buf, size_t keep,
		    const char *name, char *err);

/* ---- table.c -------------------------------------------------------------------- */

/*
 * A whole regular file into *buf (malloc'ed; the caller frees it), growing
 * with what the reads deliver. A FIFO, device or directory is refused
 * without blocking on it (NN_EIO); NN_ENOENT, NN_ENOMEM.
 */
int nn__read_file(unsigned char **buf, size_t *len, const char *path, char *err);

#endif /* NN_TABLE_INTERNAL_H */
