/*
 * Delimited text (CSV, TSV, ...): rows of cells, walked once, cell by cell,
 * in a window of the text (nn__win): a whole buffer, or the part of a
 * stream from the row being read on. When a row runs past the end of the
 * window, the functions below say MORE; the row loop then drops the rows
 * already read, reads on, and reads that row again from its start, so that
 * nothing it did (its cells' text) counts twice. Only the start keeps the
 * beginning of the text (the first SNIFF_ROWS rows, for the delimiter and
 * header detection).
 *
 * A cell is RFC 4180's: unquoted, up to the next delimiter or line end, its
 * surrounding spaces dropped; or quoted, "...", where "" is one quote and
 * delimiters and line ends are text. Spaces may surround the quotes;
 * anything else after a closing quote is an error, and a quote inside an
 * unquoted cell is an ordinary character (as in Python's csv module). Line
 * ends are LF, CRLF or CR. A line that starts with the comment byte, or
 * holds only spaces, is not a row.
 *
 * Numbers are checked against a small grammar of our own -- an optional
 * sign, digits with an optional point, an optional exponent -- and only
 * then converted: exactly by a fast path when they are short (number()),
 * else by strtod(), which the caller runs in the C locale (table.c). So
 * hexadecimal, "1,5" or "1_000" are never numbers, and the value is the
 * correctly rounded double that strtod, numpy and pandas read.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table_internal.h"

#define SNIFF_ROWS 20 /* rows the delimiter detection looks at */
#define NUM_STACK  64 /* a number shorter than this is converted from the stack */
#define SNIFF_MAX  ((size_t)1 << 24) /* bytes the delimiter detection may read ahead */
#define MORE       2  /* the window ends inside a row that the text goes on with */

/* A place in the text: a byte offset and its line (1-based). */
typedef struct cur {
	size_t pos, line;
} cur;

typedef struct cell {
	const char *p; /* the text: trimmed when unquoted, between the quotes when quoted */
	size_t len;
	int quoted;    /* 1: it was quoted ("" pairs, if escaped, stand for one quote) */
	int escaped;
	size_t line;   /* where the cell starts */
} cell;

enum { NUM_NOT, NUM_OK, NUM_NONFINITE };

static int is_space(const nn__csv *c, char ch)
{
	return ch == ' ' || (ch == '\t' && c->delim != '\t');
}

static int is_eol(char ch)
{
	return ch == '\n' || ch == '\r';
}

/* Step over the line end at u (LF, CRLF or CR), if there is one: 0, or
 * MORE for a CR at the end of the window (an LF may follow it). */
static int eol(const nn__csv *c, cur *u)
{
	const nn__win *w = c->w;
	if (u->pos < w->n && w->s[u->pos] == '\r') {
		if (u->pos + 1 == w->n && !w->eof)
			return MORE;
		u->pos++;
		if (u->pos < w->n && w->s[u->pos] == '\n')
			u->pos++;
		u->line++;
	} else if (u->pos < w->n && w->s[u->pos] == '\n') {
		u->pos++;
		u->line++;
	}
	return 0;
}

/* Move u to the start of the next row, past blank and comment lines: 1, 0
 * at the end of the text, or MORE. */
static int next_row(const nn__csv *c, cur *u)
{
	const nn__win *w = c->w;
	const char *s = (const char *)w->s;
	while (u->pos < w->n) {
		size_t i = u->pos;
		if (c->comment && s[i] == c->comment) {
			while (i < w->n && !is_eol(s[i]))
				i++;
		} else {
			while (i < w->n && is_space(c, s[i]))
				i++;
			if (i < w->n && !is_eol(s[i]))
				return 1;
		}
		cur v = { i, u->line }; /* at the end of the window: MORE below */
		if (eol(c, &v) == MORE)
			return MORE;
		*u = v;
	}
	return w->eof ? 0 : MORE;
}

/*
 * Read the cell that starts at u into *x and step past it and its
 * delimiter; *last = 1 when it ends its row (u is then past the line end).
 * 0, MORE, or an error.
 */
static int next_cell(const nn__csv *c, cur *u, cell *x, int *last, char *err)
{
	const nn__win *w = c->w;
	const char *s = (const char *)w->s;
	size_t n = w->n, i = u->pos;
	cur v = *u; /* u moves only when the cell is whole */
	while (i < n && is_space(c, s[i]))
		i++;
	*x = (cell){ .line = u->line };
	if (i < n && s[i] == '"') {
		size_t start = ++i;
		for (;; i++) {
			if (i == n && !w->eof)
				return MORE;
			if (i == n)
				return nn__fail(err, NN_EFORMAT,
						"%s:%zu: a quoted cell is never closed", c->name,
						x->line);
			char ch = s[i];
			if (ch == '"') {
				if (i + 1 < n && s[i + 1] == '"') {
					x->escaped = 1;
					i++;
					continue;
				}
				break;
			}
			if (ch == '\0')
				return nn__fail(err, NN_EFORMAT, "%s:%zu: a NUL byte: not a text file",
						c->name, v.line);
			if (ch == '\n' || (ch == '\r' && !(i + 1 < n && s[i + 1] == '\n')))
				v.line++;
		}
		x->p = s + start;
		x->len = i - start;
		x->quoted = 1;
		i++;
		while (i < n && is_space(c, s[i]))
			i++;
		if (i == n && !w->eof) /* also: the quote just read may be the first of "" */
			return MORE;
		if (i < n && s[i] != c->delim && !is_eol(s[i]))
			return nn__fail(err, NN_EFORMAT,
					"%s:%zu: text after the closing quote of a cell", c->name,
					v.line);
	} else {
		size_t start = i;
		while (i < n && !c->stop[(unsigned char)s[i]])
			i++;
		if (i == n && !w->eof)
			return MORE;
		if (i < n && s[i] == '\0')
			return nn__fail(err, NN_EFORMAT, "%s:%zu: a NUL byte: not a text file",
					c->name, v.line);
		size_t e = i;
		while (e > start && is_space(c, s[e - 1]))
			e--;
		x->p = s + start;
		x->len = e - start;
	}
	v.pos = i;
	if (i < n && s[i] == c->delim) {
		v.pos = i + 1;
		*last = 0;
	} else {
		if (eol(c, &v) == MORE)
			return MORE;
		*last = 1;
	}
	*u = v;
	return 0;
}

/* "nan", "inf" or "infinity", in any case. */
static int nonfinite_word(const char *p, size_t len)
{
	static const char *const words[] = { "nan", "inf", "infinity" };
	for (size_t w = 0; w < 3; w++) {
		size_t k = strlen(words[w]);
		if (len != k)
			continue;
		size_t i = 0;
		while (i < k && (p[i] | 0x20) == words[w][i])
			i++;
		if (i == k)
			return 1;
	}
	return 0;
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* The powers of ten a double holds exactly: up to 10^22 (5^22 < 2^53). */
static const double exact_pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * What p[0 .. len) spells: NUM_OK with the number in *v, NUM_NOT, or
 * NUM_NONFINITE (NaN, Inf, or a number beyond the doubles); NN_ENOMEM.
 *
 * While the grammar is checked the significant digits are gathered: when
 * they are at most 19, make an integer M <= 2^53 and the power of ten e is
 * in [-22, 22], M * 10^e (or M / 10^-e) is one correctly rounded operation
 * on two exact doubles, hence strtod's own result (Clinger's fast path,
 * which needs the operation done in double precision: FLT_EVAL_METHOD 0).
 * Everything else -- long or extreme numbers -- goes to strtod.
 */
static int number(nn__csv *c, const char *p, size_t len, double *v)
{
	while (len && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	size_t i = 0, digits = 0, sig = 0;
	uint64_t m = 0;
	long frac = 0, ex = 0;
	int neg = 0;
	if (i < len && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	size_t sign = i;
	for (int point = 0; i < len; i++) {
		if (p[i] == '.' && !point) {
			point = 1;
			continue;
		}
		if (!is_digit(p[i]))
			break;
		digits++;
		frac += point;
		if ((sig || p[i] != '0') && sig++ < 19)
			m = m * 10 + (uint64_t)(p[i] - '0');
	}
	if (digits == 0)
		return i == sign && nonfinite_word(p + sign, len - sign) ? NUM_NONFINITE : NUM_NOT;
	if (i < len && (p[i] == 'e' || p[i] == 'E')) {
		size_t e = ++i;
		int eneg = 0;
		if (i < len && (p[i] == '+' || p[i] == '-')) {
			eneg = p[i] == '-';
			e = ++i;
		}
		for (; i < len && is_digit(p[i]); i++)
			if (ex < 100000) /* beyond, strtod says 0 or Inf */
				ex = ex * 10 + (p[i] - '0');
		if (i == e)
			return NUM_NOT;
		ex = eneg ? -ex : ex;
	}
	if (i != len)
		return NUM_NOT;
#if FLT_EVAL_METHOD == 0
	long e10 = ex - frac;
	if (sig <= 19 && m <= (UINT64_C(1) << 53) && (m == 0 || (e10 >= -22 && e10 <= 22))) {
		double x = (double)m;
		if (m != 0)
			x = e10 < 0 ? x / exact_pow10[-e10] : x * exact_pow10[e10];
		*v = neg ? -x : x;
		return NUM_OK;
	}
#endif
	/* strtod needs a terminated string; the cell is followed by more text */
	char stack[NUM_STACK], *b = stack;
	if (len >= NUM_STACK) {
		if (len >= c->scratch_cap) {
			char *q = realloc(c->scratch, len + 1);
			if (!q)
				return NN_ENOMEM;
			c->scratch = q;
			c->scratch_cap = len + 1;
		}
		b = c->scratch;
	}
	memcpy(b, p, len);
	b[len] = '\0';
	char *end;
	*v = strtod(b, &end);
	if (end != b + len)
		return NUM_NOT;
	/* an underflow to 0 or a subnormal is kept, as numpy keeps it */
	return isfinite(*v) ? NUM_OK : NUM_NONFINITE;
}

/* Copy p[0 .. len) to dst, each "" pair as one quote when quoted; the new length. */
static size_t unquote(char *dst, const char *p, size_t len, int escaped)
{
	if (!escaped) {
		memcpy(dst, p, len);
		return len;
	}
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		dst[k++] = p[i];
		if (p[i] == '"')
			i++; /* the second quote of the pair */
	}
	return k;
}

/* ---- delimiter and header detection ------------------------------------ */

static const char candidates[4] = { ',', '\t', ';', '|' };

/*
 * The delimiter of the first SNIFF_ROWS rows: the candidate found the same
 * non-zero number of times (outside quotes) on every one of them, the most
 * often found if several are; else the most frequent overall; else ','
 * (one column). Only the rows that end within SNIFF_MAX bytes count (the
 * first one always), so that a stray quote does not pull a whole file into
 * memory, and a buffer and a stream of it decide alike. 0, or MORE while
 * the window does not reach that far.
 */
static int sniff(const nn__csv *c, size_t pos, char *delim)
{
	size_t first[4] = { 0 }, total[4] = { 0 };
	int same[4] = { 1, 1, 1, 1 };
	nn__csv t = *c;
	t.delim = 0; /* a line of tabs is blank here */
	cur u = { pos, 1 };
	const nn__win *w = c->w;
	for (int r = 0; r < SNIFF_ROWS; r++) {
		int rc = next_row(&t, &u);
		if (rc == MORE && (r == 0 || u.pos - pos < SNIFF_MAX))
			return MORE;
		if (rc != 1)
			break;
		size_t cnt[4] = { 0 }, i = u.pos;
		int quoted = 0;
		for (; i < w->n; i++) {
			char ch = (char)w->s[i];
			if (ch == '"')
				quoted = !quoted;
			else if (!quoted && is_eol(ch))
				break;
			else if (!quoted)
				for (int k = 0; k < 4; k++)
					cnt[k] += ch == candidates[k];
		}
		if (r > 0 && i - pos > SNIFF_MAX)
			break;
		if (i == w->n && !w->eof)
			return MORE;
		for (int k = 0; k < 4; k++) {
			if (r == 0)
				first[k] = cnt[k];
			else if (cnt[k] != first[k])
				same[k] = 0;
			total[k] += cnt[k];
		}
		u.pos = i;
		if (eol(&t, &u) == MORE)
			return MORE;
	}
	int best = -1;
	for (int k = 0; k < 4; k++)
		if (candidates[k] != c->comment && same[k] && first[k] > 0 &&
		    (best < 0 || first[k] > first[best]))
			best = k;
	int consistent = best >= 0;
	for (int k = 0; k < 4 && !consistent; k++)
		if (candidates[k] != c->comment && total[k] > 0 &&
		    (best < 0 || total[k] > total[best]))
			best = k;
	for (int k = 0; best < 0; k++)
		if (candidates[k] != c->comment)
			best = k;
	*delim = candidates[best];
	return 0;
}

/* Whether a cell reads as a number (NaN and Inf included), for detection. */
static int numeric_cell(nn__csv *c, const cell *x, int *numeric)
{
	double v;
	int r = number(c, x->p, x->len, &v);
	if (r < 0)
		return r;
	*numeric = r != NUM_NOT;
	return 0;
}

/*
 * Is the row at r1 a header? Yes when one of its cells is not a number
 * while the cell below it in the next row (r2) is; with no next row, when
 * none of its cells is a number.
 */
static int detect_header(nn__csv *c, cur r1, cur r2, int more, int *header, char *err)
{
	int last1 = 0, last2 = !more, rc;
	*header = !more;
	while (!last1) {
		cell a, b;
		int na, nb = 0;
		if ((rc = next_cell(c, &r1, &a, &last1, err)) != 0 ||
		    (rc = numeric_cell(c, &a, &na)) < 0)
			return rc;
		if (!more) {
			if (na)
				*header = 0;
			continue;
		}
		if (last2)
			break;
		if ((rc = next_cell(c, &r2, &b, &last2, err)) != 0 ||
		    (rc = numeric_cell(c, &b, &nb)) < 0)
			return rc;
		if (!na && nb) {
			*header = 1;
			break;
		}
	}
	return 0;
}

/* The start once the window holds enough of the text: 0, MORE or an error. */
static int start(nn__csv *c, nn__cols *cols, size_t pos, const nn_table_options *opt, char *err)
{
	cur u = { pos, 1 };
	int rc = next_row(c, &u);
	if (rc == 0)
		return nn__fail(err, NN_ESIZE, "%s: no data rows (no row at all)", c->name);
	if (rc == MORE)
		return MORE;
	cur r1 = u;
	size_t C = 0, bytes = 0;
	for (int last = 0; !last;) {
		cell x;
		if ((rc = next_cell(c, &u, &x, &last, err)) != 0)
			return rc;
		C++;
		bytes += x.len + 1;
	}
	cur r2 = u;
	int more = next_row(c, &r2);
	if (more == MORE)
		return MORE;
	int header = opt->header;
	if (header < 0 && (rc = detect_header(c, r1, r2, more, &header, err)) != 0)
		return rc == NN_ENOMEM ? nn__fail(err, rc, "%s: out of memory", c->name) : rc;
	cols->C = C;
	c->header = header;
	c->pos = header ? r2.pos : r1.pos;
	c->line = header ? r2.line : r1.line;
	if (!header)
		return 0;
	nn__names names;
	if (nn__names_new(&names, C, bytes) < 0)
		return nn__fail(err, NN_ENOMEM, "%s: out of memory for %zu column names", c->name,
				C);
	for (int last = 0; !last;) {
		cell x;
		next_cell(c, &r1, &x, &last, err); /* read once already: cannot fail */
		char *nm = nn__names_add(&names, x.p, x.len);
		if (x.escaped)
			nm[unquote(nm, nm, x.len, 1)] = '\0';
	}
	cols->names = names.v;
	return 0;
}

int nn__csv_start(nn__csv *c, nn__cols *cols, nn__win *w, const nn_table_options *opt, char *err)
{
	*c = (nn__csv){ .w = w, .name = w->name, .comment = opt->comment };
	size_t pos;
	int rc;
	/* enough of the beginning for a byte order mark and the detection; the
	 * window keeps all of it until the first rows are read */
	for (;;) {
		rc = 0;
		if (w->n < 3 && !w->eof)
			rc = MORE;
		pos = w->n >= 3 && memcmp(w->s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		c->delim = opt->delimiter;
		if (rc == 0 && !c->delim)
			rc = sniff(c, pos, &c->delim);
		if (rc == 0)
			break;
		if ((rc = nn__win_more(w, 0, err)) < 0)
			return rc;
	}
	c->stop[(unsigned char)c->delim] = c->stop['\n'] = c->stop['\r'] = c->stop[0] = 1;
	/* the first two rows may run past the window */
	while ((rc = start(c, cols, pos, opt, err)) == MORE)
		if ((rc = nn__win_more(w, 0, err)) < 0)
			return rc;
	return rc;
}

/* ---- data rows ------------------------------------------------------------ */

/* "'name'" with a header, else the column's number counted from 1. */
static const char *col_name(char out[NN__SAFE_LEN + 24], const nn__cols *cols, size_t k)
{
	char safe[NN__SAFE_LEN];
	if (cols->names)
		snprintf(out, NN__SAFE_LEN + 24, "'%s'",
			 nn__printable(safe, cols->names[k], strlen(cols->names[k])));
	else
		snprintf(out, NN__SAFE_LEN + 24, "%zu", k + 1);
	return out;
}

/*
 * Room for one more row: capacity doubles, but never beyond twice the rows
 * read plus the rows the rest of the window can hold -- a row of C cells
 * takes at least 2C bytes -- nor beyond max_rows. So v stays within 8
 * bytes per byte of text read (4 for a whole buffer read at once),
 * whatever C is, and a first row of 10^6 cells does not buy 64 rows.
 */
static int grow_rows(nn__cols *cols, size_t left, size_t max_rows)
{
	size_t C = cols->C, ahead = left / (2 * C) + 1;
	size_t bound = cols->N + (cols->N > ahead ? cols->N : ahead);
	size_t cap = cols->cap ? cols->cap * 2 : 64;
	if (cap > bound)
		cap = bound;
	if (cap > max_rows)
		cap = max_rows;
	if (cap > SIZE_MAX / sizeof(double) / C)
		return NN_ESIZE;
	double *v = realloc(cols->v, cap * C * sizeof(double));
	if (!v)
		return NN_ENOMEM;
	cols->v = v;
	if (cols->text_col != SIZE_MAX) {
		size_t *off = realloc(cols->text_off, cap * sizeof(size_t));
		if (!off)
			return NN_ENOMEM;
		cols->text_off = off;
	}
	cols->cap = cap;
	return 0;
}

/* Keep the text of a cell of the text column in the pool. */
static int keep_text(nn__cols *cols, const cell *x)
{
	if (cols->pool_cap - cols->pool_len < x->len + 1) {
		size_t cap = cols->pool_cap ? cols->pool_cap : 4096;
		while (cap - cols->pool_len < x->len + 1)
			cap *= 2;
		char *p = realloc(cols->pool, cap);
		if (!p)
			return NN_ENOMEM;
		cols->pool = p;
		cols->pool_cap = cap;
	}
	cols->text_off[cols->N] = cols->pool_len;
	cols->pool_len += unquote(cols->pool + cols->pool_len, x->p, x->len, x->escaped);
	cols->pool[cols->pool_len++] = '\0';
	return 0;
}

/* One cell of the row being read, column k, into *v. */
static int store(nn__csv *c, nn__cols *cols, size_t k, const cell *x, double *v, char *err)
{
	char col[NN__SAFE_LEN + 24], safe[NN__SAFE_LEN];
	int rc;
	if (cols->mark && cols->mark[k] == NN__COL_IGNORED) {
		*v = 0.0;
		return 0;
	}
	if (x->len == 0)
		return nn__fail(err, NN_EFORMAT, "%s:%zu: column %s: empty cell", c->name, x->line,
				col_name(col, cols, k));
	if (k == cols->text_col && (rc = keep_text(cols, x)) < 0)
		return nn__fail(err, rc, "%s: out of memory", c->name);
	int r = number(c, x->p, x->len, v);
	if (r == NUM_OK)
		return 0;
	if (r < 0)
		return nn__fail(err, r, "%s: out of memory", c->name);
	if (r == NUM_NONFINITE)
		return nn__fail(err, NN_ENONFINITE, "%s:%zu: column %s: '%s' is not finite",
				c->name, x->line, col_name(col, cols, k),
				nn__printable(safe, x->p, x->len));
	if (k != cols->text_col)
		return nn__fail(err, NN_EFORMAT, "%s:%zu: column %s: '%s' is not a number",
				c->name, x->line, col_name(col, cols, k),
				nn__printable(safe, x->p, x->len));
	*v = NAN;
	cols->text_numeric = 0;
	return 0;
}

/* The cells of the row at u as row cols->N: 0, MORE or an error. */
static int read_row(nn__csv *c, nn__cols *cols, cur *u, size_t max_rows, char *err)
{
	size_t C = cols->C, line = u->line, k = 0;
	int rc;
	if (cols->N == cols->cap && (rc = grow_rows(cols, c->w->n - u->pos, max_rows)) < 0)
		return nn__fail(err, rc, "%s: out of memory for %zu rows of %zu columns", c->name,
				cols->N + 1, C);
	double *row = cols->v + cols->N * C;
	for (int last = 0; !last; k++) {
		cell x;
		if ((rc = next_cell(c, u, &x, &last, err)) != 0)
			return rc;
		if (k < C && (rc = store(c, cols, k, &x, row + k, err)) < 0)
			return rc;
	}
	if (k != C)
		return nn__fail(err, NN_ESHAPE, "%s:%zu: %zu cells, the %s has %zu", c->name, line,
				k, c->header ? "header" : "first row", C);
	return 0;
}

int nn__csv_rows(nn__csv *c, nn__cols *cols, size_t max_rows, char *err)
{
	cur u = { c->pos, c->line };
	int rc;
	cols->text_numeric = 1;
	while (cols->N < max_rows) {
		/* a row cut by the end of the window is read again: a cell is stored
		 * only once it is whole, so its value and whether it is a number
		 * stand; only the copies of its text are dropped */
		cur at = u;
		size_t pool_len = cols->pool_len;
		if ((rc = next_row(c, &u)) == 0)
			break;
		if (rc == 1)
			rc = read_row(c, cols, &u, max_rows, err);
		if (rc == MORE) {
			cols->pool_len = pool_len;
			if ((rc = nn__win_more(c->w, at.pos, err)) < 0)
				return rc;
			u = (cur){ 0, at.line };
			continue;
		}
		if (rc < 0)
			return rc;
		cols->N++;
	}
	if (cols->N == 0)
		return nn__fail(err, NN_ESIZE, "%s: no data rows", c->name);
	return 0;
}

void nn__csv_end(nn__csv *c)
{
	free(c->scratch);
	c->scratch = NULL;
	c->scratch_cap = 0;
}
