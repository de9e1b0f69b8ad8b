/*
 * What the three lecture programs share: flag parsing with one-line errors,
 * the seed, output-path checks, the "Best by step" report and its history
 * for --plot-curve, CSV output and the final accuracy lines.
 *
 * Exit statuses: 0 success, 1 a runtime error (a file, the data, memory),
 * 2 a usage error (a flag, a value).
 */
#ifndef NN_EXAMPLES_CLI_H
#define NN_EXAMPLES_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "nn/nn.h"

enum { EX_OK = 0, EX_RUNTIME = 1, EX_USAGE = 2 };

/** What kind of value a flag takes. */
enum ex_kind {
	EX_SIZE,     /**< an integer >= min (and <= max), into size_t */
	EX_U32,      /**< an integer in [0, 2^32), into uint32_t */
	EX_POS,      /**< a finite double > 0 */
	EX_NONNEG,   /**< a finite double >= 0 */
	EX_RANGE,    /**< "LO,HI", finite with LO < HI, into double[2] */
	EX_STRING,   /**< any string, into const char * */
	EX_CHOICE,   /**< one of `choices` (NULL-terminated), its index into int */
};

/** One flag of a program. */
typedef struct ex_flag {
	const char *name;            /**< "--eta" */
	enum ex_kind kind;
	void *value;                 /**< where the value goes (type per kind) */
	int *given;                  /**< set to 1 when the flag appears; may be NULL */
	size_t min, max;             /**< EX_SIZE bounds; max 0 = SIZE_MAX */
	const char *const *choices;  /**< EX_CHOICE names */
	int repeat;                  /**< may appear more than once (EX_STRING: values into a list) */
} ex_flag;

/** Up to this many values of a repeatable string flag. */
#define EX_MAX_REPEAT 8

/** Values of a repeatable string flag (kind EX_STRING, repeat 1). */
typedef struct ex_strings {
	const char *v[EX_MAX_REPEAT];
	size_t n;
} ex_strings;

/**
 * Parse argv against flags: "--flag value" or "--flag=value"; "--help" or
 * "-h" prints usage to stdout. Errors print one line to stderr.
 * @return -1 to go on, else the exit status (0 after --help, EX_USAGE).
 */
int ex_parse(int argc, char **argv, const char *prog, const ex_flag *flags, size_t nflags,
	     const char *usage);

/** Print "prog: message" to stderr (printf format), one line. */
void ex_error(const char *prog, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/** The seed: given, or from the clock (seconds and nanoseconds mixed into 32 bits). */
uint32_t ex_seed(int given, uint32_t seed);

/**
 * Check that an output file can be created: its directory exists and is
 * writable, and the path is not a directory. Prints the error.
 * @return 0 or EX_RUNTIME.
 */
int ex_check_output(const char *prog, const char *path);

/** Training progress: prints "Best by step" lines and keeps the history. */
typedef struct ex_report {
	size_t every;     /**< print when step % every == 0 */
	size_t n;         /**< training samples, to turn the best fraction into a count */
	int record;       /**< keep the history (for --plot-curve) */
	size_t stride;    /**< keep one step in stride */
	size_t len, cap;  /**< history length and capacity */
	double *step, *cost, *best; /**< history: step, cost, best training accuracy in percent */
	int oom;          /**< the history could not grow */
} ex_report;

/** Set up a report; record: keep a history of at most about 100000 points. */
void ex_report_init(ex_report *r, size_t every, size_t n, size_t steps, int record);

/** Free the history. */
void ex_report_free(ex_report *r);

/** The training callback (user = the ex_report): prints and records. */
int ex_report_cb(void *user, const nn_progress *p);

/**
 * Percent correct as the lecture's Python computes it: count * (100 / n),
 * so that printing with "%.1f" rounds exactly as it does.
 */
double ex_percent(size_t count, size_t n);

/** Turn a best fraction from the callback back into a count of n. */
size_t ex_count(double fraction, size_t n);

/** How ex_train's first layer reads X (an nn_input_mode; nn-mnist's --input). */
extern int ex_input_mode;

/**
 * Train with the lecture's report: "Best by step N: X %" every `every`
 * steps, then "Our best model gets X percent correct!". On return net holds
 * the best model. Divergence is reported on stderr and is not an error.
 * @return 0 or EX_RUNTIME (after printing the error).
 */
int ex_train(const char *prog, nn_net *net, const nn_matrix *X, const nn_labels *y, double eta,
	     size_t steps, ex_report *rep, nn_train_result *res);

/** Number of samples net gets right. */
int ex_correct(size_t *correct, const nn_net *net, const nn_matrix *X, const nn_labels *y);

/**
 * Write "split,label,x1,...,xF" then one line a sample (train first),
 * atomically. Prints the error.
 * @return 0 or EX_RUNTIME.
 */
int ex_save_csv(const char *prog, const char *path, const nn_matrix *train_x,
		const nn_labels *train_y, const nn_matrix *test_x, const nn_labels *test_y);

/** Write a canvas to path as PNG and free it; prints the error. @return 0 or EX_RUNTIME. */
struct nn_canvas;
int ex_write_png(const char *prog, struct nn_canvas *c, const char *path);

/** Draw and write the cost and best-accuracy curves of a report. @return 0 or EX_RUNTIME. */
int ex_plot_curve(const char *prog, const ex_report *rep, const char *title, const char *path);

#endif /* NN_EXAMPLES_CLI_H */
