/*
 * Private declarations of the table readers (table.c, csv.c, npy.c), shared
 * with the tests and the fuzz targets. Never installed.
 *
 * The readers meet in one intermediate: the file's C columns as a C x N
 * matrix of doubles (row n of the file is column n), their header names,
 * and -- for the one target column that may hold class names -- the text of
 * each of its cells. table.c takes the target out of it and builds nn_table.
 * Details go to an err buffer of NN_TABLE_ERROR_LEN bytes (nn_table::error)
 * through nn__fail(), the MNIST readers' helper; files and gzip go through
 * their byte source (nn__src: a regular file only, inflated as it is read).
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

/* A window on inflated gzip content holds at most this much (a .npy
 * inside is held whole; text streams through). */
#define NN__TABLE_MAX_INFLATED ((size_t)1 << 32)

/* What table.c makes of each column (nn__cols::mark). */
enum { NN__COL_FEATURE = 0, NN__COL_TARGET, NN__COL_IGNORED };

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
	const unsigned char *mark; /* C NN__COL_* (borrowed), or NULL: the cells of an
				      NN__COL_IGNORED column are not parsed (stored as 0) */
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

/* ---- table.c: a window on the input ------------------------------------------ */

/* Read up to n bytes into buf: *got < n only at the end (then 0 forever). */
typedef int (*nn__read_fn)(void *ctx, unsigned char *buf, size_t n, size_t *got, char *err);

/*
 * The part of the input in memory: all of a buffer, or what a reader has
 * delivered and the parser still needs. Readers read ahead in chunks; the
 * buffer grows only when one row does not fit, so it stays about a chunk
 * plus the longest row.
 */
typedef struct nn__win {
	const unsigned char *s; /* s[0 .. n): the bytes held (not NUL-terminated) */
	size_t n;
	int eof;                /* 1: nothing follows s[n - 1] */
	unsigned char *own;     /* a stream's buffer (s == own), cap bytes; NULL for a buffer */
	size_t cap;
	size_t chunk;           /* read at least this much at a time */
	size_t max;             /* hold at most this much (NN_ESIZE beyond); 0: no limit */
	nn__read_fn read;
	void *ctx;
	const char *name;       /* for messages */
	int inflated;           /* 1: the reader inflated any gzip already (a file) */
	int pending;            /* a read error met after some bytes: reported when the */
	char pending_err[NN_TABLE_ERROR_LEN]; /* parser needs what comes after them */
} nn__win;

#define NN__WIN_CHUNK ((size_t)1 << 20)

/* A window on all of buf, or on what read(ctx, ...) delivers. */
void nn__win_mem(nn__win *w, const void *buf, size_t len, const char *name);
void nn__win_stream(nn__win *w, nn__read_fn read, void *ctx, size_t chunk, const char *name);
void nn__win_free(nn__win *w);

/* Drop the first `drop` bytes, then read on (growing the buffer when it
 * is full); at the end, eof is set. 0, or the reader's error, NN_ENOMEM.
 * An error that comes after some bytes (a corrupt gzip stream, a failing
 * disk) is kept until those are used up, so that what the text says
 * before it is read -- and an error there is the one reported, however
 * far ahead the reads go. */
int nn__win_more(nn__win *w, size_t drop, char *err);

/* Read everything (s[0 .. n) is then the whole input). */
int nn__win_all(nn__win *w, char *err);

/* The table reader behind nn_table_read() and nn_table_read_buffer(): the
 * options checked, the C locale, the format told by the first bytes. On
 * failure t holds nothing but t->error; the detail is recorded. */

/* nn__src as a reader (ctx: the nn__src). */
int nn__src_reader(void *src, unsigned char *buf, size_t n, size_t *got, char *err);
int nn__table_read_win(nn_table *t, nn__win *w, const nn_table_options *opt);

/* ---- csv.c: delimited text ------------------------------------------------ */

typedef struct nn__csv {
	nn__win *w;        /* the text */
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
 * Start reading the text of w: skip a byte order mark, detect the delimiter
 * (when opt->delimiter is 0) and the header (opt->header -1), count the
 * columns. Sets cols->C and, with a header, cols->names. NN_ESIZE when the
 * text holds no row at all; NN_EFORMAT, NN_ENOMEM, the reader's errors.
 */
int nn__csv_start(nn__csv *c, nn__cols *cols, nn__win *w, const nn_table_options *opt,
		  char *err);

/*
 * Parse the data rows (at most max_rows) into cols->v: every cell a finite
 * number, except that cols->text_col (if not SIZE_MAX) keeps its cells' text
 * and may hold other words, and an ignored column's cells (cols->mark) may
 * hold anything. NN_ESIZE (no data row), NN_ESHAPE (a row of
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

#endif /* NN_TABLE_INTERNAL_H */
