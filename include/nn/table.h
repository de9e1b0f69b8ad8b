/**
 * @file table.h
 * @brief Reading your own data: CSV/TSV text and numpy .npy arrays as a
 *        feature matrix and a target, ready for the network.
 *
 * nn_table_read() tells the format by the content, never by the name: a
 * file that starts with the .npy magic (the byte 0x93, then "NUMPY") is an
 * array whose columns are the table's columns; one that starts with the
 * gzip magic is decompressed (as it is read) first; anything else is
 * delimited text. One row of the file is one sample, so it becomes one
 * COLUMN of nn_table::x (F x N, the convention of nn_matrix) and one entry
 * of the target.
 *
 * Text: a header row or none (detected), the delimiter ',', tab, ';' or
 * '|' (detected), RFC 4180 quoting ("a,b", and "" for a quote inside
 * quotes), LF, CRLF or CR line ends, a UTF-8 byte order mark, comment lines
 * and blank lines skipped. Feature cells must be decimal numbers ("1",
 * "-2.5", ".5e-3"; spaces around them are ignored); numbers are read in the
 * C locale whatever the process's locale is, so "1.5" is one and a half
 * under de_DE too and "1,5" is never a number. An empty cell, a word, NaN
 * or Inf is an error naming the file, line and column.
 *
 * The target (nn_table_options::target, by default the last column) becomes
 * class labels or regression outputs (nn_table_options::task, by default
 * decided as scikit-learn's type_of_target does):
 *  - a column that holds a cell that is not a number: classes, the distinct
 *    texts sorted by their bytes (as scikit-learn's LabelEncoder sorts
 *    them), id = rank, the texts kept as class_names;
 *  - numbers that are all integral: classes. When every value is in
 *    [0, NN_TABLE_MAX_KEPT_ID] the values are the ids (n_classes = max + 1,
 *    class_names "0" .. "k-1", so a class absent from this file keeps its
 *    id); otherwise (a negative value, or a larger one) the distinct values
 *    sorted in numeric order get the ids 0 .. k-1 and their decimal texts as
 *    names ("-1", "1");
 *  - other numbers: regression (nn_table::y), as is every target of several
 *    columns.
 * An integral target that is really a quantity (a count, a price in whole
 * units) therefore reads as classes under NN_TASK_AUTO: say
 * NN_TASK_REGRESS.
 *
 * Memory follows the data: text is parsed once, as it is read, into
 * doubles (8 bytes a cell, a cell being at least 2 bytes of text); what is
 * held of the text itself is a window of about a megabyte (more only for a
 * longer row). A .npy header's shape is checked against the bytes present
 * before anything is allocated for it. doc/table.md lists every error and
 * its message, and the measured speed and memory.
 */
#ifndef NN_TABLE_H
#define NN_TABLE_H

#include <stddef.h>

#include "common.h"
#include "matrix.h"
#include "net.h" /* nn_task */

#ifdef __cplusplus
extern "C" {
#endif

/** Size of nn_table::error. */
#define NN_TABLE_ERROR_LEN 256

/** Largest label value kept as its own class id (see the file comment). */
#define NN_TABLE_MAX_KEPT_ID 65535

/** How to read a table. Start from nn_table_defaults(). */
typedef struct nn_table_options {
	char delimiter;     /**< 0 (default): detect among ',', tab, ';' and '|' from the first
				 lines; else this byte (not a quote, line end, space or the
				 comment byte) */
	int header;         /**< -1 (default): detect -- the first row is a header when one of
				 its cells is not a number while the cell below it is (a single
				 row: when none of its cells is a number); 0: no header;
				 1: the first row is the header */
	char comment;       /**< '#' (default): a line that starts with it is skipped; 0: none */
	const char *target; /**< the target column(s), comma-separated: header names, or
				 0-based indexes (negative from the end): "species", "4",
				 "-1", "y1,y2" (a name that contains commas matches as a
				 whole). NULL (default): the last column; "": no target.
				 Borrowed for the call */
	nn_task task;       /**< NN_TASK_AUTO (default): decide from the values (the file
				 comment says how); or force NN_TASK_CLASSIFY (one target
				 column), NN_TASK_REGRESS (numeric target columns) or
				 NN_TASK_NONE (no target: the same as target "") */
	size_t max_rows;    /**< keep at most this many data rows, the first ones; NN_ALL
				 (default): all. 0 is refused (NN_EINVAL) */
	const char *ignore; /**< columns not read at all, comma-separated as in `target`
				 (names or indexes): their cells may hold anything, text
				 or nothing (a text file's row still needs its cell).
				 With target NULL the target is the last column not
				 ignored. NULL or "" (default): none. Borrowed for the
				 call */
} nn_table_options;

/**
 * The default options: delimiter and header detected, '#' comments, the last
 * column as the target, the task decided by its values, every row, no
 * column ignored.
 */
NN_EXPORT nn_table_options nn_table_defaults(void);

/**
 * A table read from a file: features, the target, and the names. Every
 * pointer is owned by the table; nn_table_free() releases them all (never
 * free() a name: each names array is one allocation).
 */
typedef struct nn_table {
	nn_matrix x;           /**< features, F x N: row n of the file is column n */
	nn_labels labels;      /**< task CLASSIFY: N class ids in [0, n_classes); else empty */
	nn_matrix y;           /**< task REGRESS: the T target columns, T x N; else empty */
	size_t n_classes;      /**< task CLASSIFY: the number of classes; else 0 */
	char **feature_names;  /**< F names: the header's, or "x1" .. "xF" without one */
	char **target_names;   /**< T names (1 for CLASSIFY): the header's, or "y" (one
				    target) / "y1" .. "yT" without one; NULL for NONE */
	char **class_names;    /**< task CLASSIFY: n_classes names in id order; else NULL */
	size_t n_targets;      /**< T: 1 for CLASSIFY, >= 1 for REGRESS, 0 for NONE */
	nn_task task;          /**< what was read: NN_TASK_CLASSIFY, NN_TASK_REGRESS or
				    NN_TASK_NONE */
	char error[NN_TABLE_ERROR_LEN]; /**< after a failure, one line naming the file, the
					     line and the column: "iris.csv:47: column
					     'petal_width': 'n/a' is not a number";
					     "" after success */
} nn_table;

/**
 * Read a table from a file: .npy, gzip-compressed or plain delimited text,
 * told by its first bytes.
 *
 * Only a regular file is read (a FIFO, device or directory is refused
 * without blocking on it). On success every field of t is set; on failure
 * t holds nothing (nn_table_free() is still allowed) but t->error, which
 * nn_error_message() also returns.
 *
 * @param t    out: the table.
 * @param path the file.
 * @param opt  the options; NULL for nn_table_defaults().
 * @return 0, or NN_ENULL, NN_EINVAL (bad options, a target or ignored
 *         column that is not a column, a column both), NN_ENOENT, NN_ENOTFILE (a directory, FIFO, socket or
 *         device), NN_EIO (a read error),
 *         NN_EFORMAT (malformed text: a cell that is not a number, a quote
 *         never closed, a NUL byte), NN_ESHAPE (a row with more or fewer
 *         cells than the first), NN_ENONFINITE (NaN or Inf), NN_ESIZE (no
 *         data row, no feature column), NN_ENOMEM, and for .npy content
 *         NN_EVERSION, NN_ETRUNC and the codes of nn_npy_read(); for gzip
 *         content NN_EGZIP, NN_ETRUNC and NN_ESIZE (a stream that inflates
 *         like a bomb: doc/mnist.md).
 */
NN_EXPORT int nn_table_read(nn_table *t, const char *path, const nn_table_options *opt);

/**
 * nn_table_read() on bytes in memory: the same reader, the same result
 * and the same errors as for a file of these bytes.
 * @param t    out: the table.
 * @param buf  len bytes (may be NULL when len is 0); borrowed for the call.
 * @param len  their number.
 * @param name what messages call the input ("data.csv"); NULL: "<buffer>".
 * @param opt  the options; NULL for nn_table_defaults().
 * @return as nn_table_read(), less the file errors.
 */
NN_EXPORT int nn_table_read_buffer(nn_table *t, const void *buf, size_t len, const char *name,
				   const nn_table_options *opt);

/** Free everything a table owns and zero it; NULL or a zeroed table is a no-op. */
NN_EXPORT void nn_table_free(nn_table *t);

/**
 * Read a numpy .npy array (format versions 1.0, 2.0 and 3.0; the file may
 * be gzip-compressed, as nn_table_read() reads it): a 1-D array
 * of N values becomes a 1 x N matrix, a 2-D (N, d) array -- N samples of d
 * values, C or Fortran order -- a d x N matrix (sample n is column n).
 * dtypes: float64, float32, int64/32/16/8, uint64/32/16/8 and bool, either
 * byte order ('<f8', '>i4', '|u1', '|b1', ...); anything else (complex,
 * strings, objects, records) is refused, as are 0-D and 3-D or more arrays,
 * an empty array, NaN and Inf. The header is parsed strictly (exactly the
 * keys 'descr', 'fortran_order' and 'shape') and the data must be exactly
 * the size the shape says.
 * @param m    out: the matrix (ld = rows); empty on failure.
 * @param path a regular file.
 * @return 0, NN_ENULL, NN_ENOENT, NN_ENOTFILE, NN_EIO, NN_EGZIP,
 *         NN_EMAGIC (not a .npy file),
 *         NN_EVERSION, NN_EFORMAT (a header or dtype nn does not read, bytes
 *         after the data, a bool that is not 0 or 1), NN_ESHAPE (not 1-D or
 *         2-D), NN_ESIZE (a zero or overflowing size), NN_ETRUNC (less data
 *         than the shape says; found before allocating), NN_ENONFINITE or
 *         NN_ENOMEM; nn_error_message() says which element or which key.
 */
NN_EXPORT int nn_npy_read(nn_matrix *m, const char *path);

/**
 * nn_npy_read() on bytes in memory.
 * @param m   out: the matrix; empty on failure.
 * @param buf len bytes; borrowed for the call.
 * @param len their number.
 * @return as nn_npy_read(), less the file errors.
 */
NN_EXPORT int nn_npy_read_buffer(nn_matrix *m, const void *buf, size_t len);

/**
 * Write a d x N matrix as a .npy file holding an (N, d) C-order float64
 * ('<f8') array -- what np.load() gives back, and what nn_npy_read() reads
 * as the same d x N matrix. The file is written to a temporary name and
 * renamed, so a failure never leaves a partial file.
 * @param path the file to create or replace.
 * @param m    the matrix (any ld >= rows).
 * @return 0, NN_ENULL, NN_ESHAPE (an empty matrix, ld < rows),
 *         NN_ENONFINITE (nn reads back only finite values, so it writes only
 *         those), NN_ESIZE, NN_ENOMEM or NN_EIO.
 */
NN_EXPORT int nn_npy_write(const char *path, const nn_matrix *m);

#ifdef __cplusplus
}
#endif

#endif /* NN_TABLE_H */
