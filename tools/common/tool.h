/*
 * The program toolkit: what every nn program shares -- nn-data, the three
 * lecture programs, and whatever is built on them -- so that each service
 * exists once (doc/toolkit.md, "One program toolkit"):
 *
 *   - a run: phases with an agreement after each, so that a failure on any
 *     process of an mpirun reaches every process before the next
 *     collective (tool_main, tool_agree); the shard, seed and training
 *     calls that differ between one process and mpirun (run.c);
 *   - messages: one line "prog: what: why" on stderr, exit status 1 for a
 *     runtime error and 2 for a usage error;
 *   - one flag parser, with --help and --version (flags.c);
 *   - output files: checked before any work (never a directory, socket or
 *     block device, never the same file as an input or another output),
 *     written through lib/io/fileio.c's atomic writer, with SIGINT, SIGTERM
 *     and SIGHUP held while a temporary file exists (output.c);
 *   - one CSV layout for data sets (csv.c), PNG pictures (picture.c).
 *
 * Nothing here is installed; the prefix is tool_ (nn_ is the library's).
 * Functions that can fail print their one-line message and return an exit
 * status (TOOL_RUNTIME, TOOL_USAGE) or 0.
 */
#ifndef TOOL_H
#define TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nn/nn.h"

/** Exit statuses, and what a phase returns. */
enum {
	TOOL_OK = 0,      /**< go on; exit status 0 */
	TOOL_RUNTIME = 1, /**< a file, the data, memory, training: exit status 1 */
	TOOL_USAGE = 2,   /**< a flag or a value: exit status 2 */
	TOOL_DONE = 3,    /**< finished early and well (--help, --version): exit status 0 */
};

/** A program's run: who it is and, under mpirun, which process. No globals: pass it. */
typedef struct tool_ctx {
	const char *prog;   /**< the first word of every message: "nn-mnist" */
	int argc;           /**< the command line (after MPI_Init took what it wanted) */
	char **argv;
	int rank;           /**< this process: 0 without mpirun */
	int size;           /**< processes: 1 without mpirun */
	int mpi;            /**< 1 when MPI was started (run.c) */
	char msg[512];      /**< under mpirun: this process's first error since the last
			         agreement, printed by tool_agree() (one message for all) */
	int peer;           /**< that error only reports another process's failure (NN_EPEER) */
	int argv_agreed;    /**< the processes found they run the same command line */
} tool_ctx;

/** One phase of a program: 0 to go on, or an exit status (TOOL_*). */
typedef int (*tool_phase)(tool_ctx *ctx, void *state);

/**
 * A program's main(): start (MPI under mpirun; termination signals held
 * while a temporary file exists), run the phases in order with an
 * agreement after each -- a failure on any process ends the run on every
 * process, with one message -- then done(state) (may be NULL), then
 * check standard output and finish.
 * A phase must not fail on one process alone before a collective it
 * contains: end the phase there instead.
 * @return the exit status.
 */
int tool_main(const char *prog, int argc, char **argv, const tool_phase *phases, size_t n,
	      void *state, void (*done)(void *state));

/**
 * An error, one line "prog: ..." on stderr: at once for one process; under
 * mpirun kept until the next agreement, which prints one process's.
 */
void tool_error(tool_ctx *ctx, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/**
 * A failed nn call: "prog: <what>: " and nn_error_message(rc) (the library's
 * detail, or, for NN_EIO, strerror(errno)).
 * @return TOOL_RUNTIME.
 */
int tool_nn_error(tool_ctx *ctx, int rc, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/** A warning (not an error): one line on stderr, from the first process only. */
void tool_warn(tool_ctx *ctx, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/** 1 on the process that prints and writes files (rank 0). */
int tool_root(const tool_ctx *ctx);

/**
 * Percent correct as the lecture's Python computes it, count * (100 / n),
 * so that printing it with "%.1f" rounds as Python rounds it (349 of 400
 * is 87.25, printed 87.2).
 */
double tool_percent(size_t count, size_t n);

/* ---- flags.c: the one flag parser ---- */

/** What kind of value a flag takes. */
enum tool_kind {
	TOOL_SIZE,    /**< an integer in [min, max], into size_t (max 0: SIZE_MAX) */
	TOOL_U32,     /**< an integer in [0, 2^32), into uint32_t */
	TOOL_POS,     /**< a finite double > 0 */
	TOOL_NONNEG,  /**< a finite double >= 0 */
	TOOL_RANGE,   /**< "LO,HI", finite with LO < HI, into double[2] */
	TOOL_STRING,  /**< a non-empty string, into const char * */
	TOOL_STRINGS, /**< a non-empty string each time the flag is given, into tool_strings */
	TOOL_CHOICE,  /**< one of `choices` (NULL-terminated), its index into int */
	TOOL_PART,    /**< a fraction in (0, 1) or a count in [max(min, 1), max], into tool_part */
	TOOL_SWITCH,  /**< no value: 1 into int when the flag appears ("--progress") */
};

/** One flag of a program. */
typedef struct tool_flag {
	const char *name;            /**< "--eta", or a short one such as "-o" */
	enum tool_kind kind;
	void *value;                 /**< where the value goes (type per kind) */
	int *given;                  /**< set to 1 when the flag appears; may be NULL */
	size_t min, max;             /**< TOOL_SIZE and TOOL_PART bounds; max 0 = SIZE_MAX */
	const char *const *choices;  /**< TOOL_CHOICE names */
} tool_flag;

/** Up to this many values of a TOOL_STRINGS flag. */
#define TOOL_MAX_REPEAT 8

/** The values of a TOOL_STRINGS flag. */
typedef struct tool_strings {
	const char *v[TOOL_MAX_REPEAT];
	size_t n;
} tool_strings;

/** A part of a data set: a fraction ("0.2"), or a count ("100") when fraction is 0. */
typedef struct tool_part {
	double fraction;
	size_t count;
	const char *text; /**< as given, for messages */
} tool_part;

/** A command line to parse. */
typedef struct tool_cli {
	const tool_flag *flags;
	size_t n_flags;
	const char *usage;      /**< what --help prints */
	const char **operands;  /**< room for the arguments that are not flags; NULL: none allowed */
	size_t max_operands;
	size_t n_operands;      /**< out: how many there were */
} tool_cli;

/**
 * Parse ctx's command line: "--flag value", "--flag=value", "-o value";
 * "--help" (or "-h") prints the usage and "--version" the version, to
 * stdout: "prog (nn) X.Y.Z" (the headers it was built with), then "libnn
 * X.Y.Z" (nn_version(): the library it runs with). A flag given twice, an unknown flag, a bad value: one line
 * naming the flag.
 * @return TOOL_OK, TOOL_DONE (after --help or --version) or TOOL_USAGE.
 */
int tool_parse(tool_ctx *ctx, tool_cli *cli);

/** The name of the first flag in `flags` that was given (for "not with" errors), or NULL. */
const char *tool_first_given(const tool_flag *flags, size_t n);

/* ---- output.c: paths and output files ---- */

/** A path given by a flag. */
typedef struct tool_path {
	const char *flag; /**< "--save-model" (for messages) */
	const char *path; /**< NULL when the flag was not given; "-" is standard output */
} tool_path;

/**
 * Check a program's paths before any work: every output can be written
 * (its directory exists and is writable; it is not a directory, socket or
 * block device -- a FIFO or character device is written in place), and no
 * output is the same file as an input or as another output (by device and
 * inode, or for a file still to be made by its directory and name).
 * @return 0 or TOOL_RUNTIME (after the message).
 */
int tool_check_paths(tool_ctx *ctx, const tool_path *inputs, size_t n_in,
		     const tool_path *outputs, size_t n_out);

/** An output file being written (see tool_out_open()). */
typedef struct tool_out {
	FILE *fp;             /**< write here */
	const char *path;     /**< as given, for messages */
	struct nn__out *file; /**< the atomic file (lib/io/fileio.c); NULL for standard output */
	int held;             /**< the termination signals wait for the file (a temporary exists) */
} tool_out;

/**
 * Open path for writing ("-": standard output): a regular file appears
 * only complete, through a temporary file renamed over it when closed;
 * until then SIGINT, SIGTERM and SIGHUP wait, so that no temporary file is
 * left behind. A FIFO or character device is written in place (opening a
 * FIFO waits for a reader; the signals do not wait).
 * @return 0 or TOOL_RUNTIME (after the message).
 */
int tool_out_open(tool_ctx *ctx, tool_out *o, const char *path);

/** Finish: rename into place (flush, for standard output). @return 0 or TOOL_RUNTIME. */
int tool_out_close(tool_ctx *ctx, tool_out *o);

/** Give up: remove the temporary file. A no-op on a closed o. */
void tool_out_abort(tool_out *o);

/** A path for messages: "standard output" for "-". */
const char *tool_path_name(const char *path);

/** A plot_sink (plot/png.h) writing to a tool_out. */
int tool_out_sink(void *user, const void *buf, size_t len);

/** nn_model_save() to path, signals held. @return 0 or TOOL_RUNTIME. */
int tool_save_model(tool_ctx *ctx, const char *path, const nn_net *net,
		    const nn_model_state *state);

/** nn_history_write_csv() to path, signals held. @return 0 or TOOL_RUNTIME. */
int tool_save_history(tool_ctx *ctx, const char *path, const nn_history *hist);

/**
 * Load a model and check it fits the data: `inputs` columns in, and either
 * one output unit for two classes or at least `classes` output units.
 * @return 0 or TOOL_RUNTIME (after naming the file and the problem).
 */
int tool_load_model(tool_ctx *ctx, nn_net **net, const char *path, size_t inputs,
		    size_t classes);

/* ---- csv.c: the one CSV layout of a data set ---- */

/** Samples to write: one sample per column of X, its label in y. */
typedef struct tool_csv_part {
	const nn_matrix *X;
	const nn_labels *y;
	const char *split; /**< the split column's value ("train", "test"); NULL: no split column */
} tool_csv_part;

/**
 * The layout (doc/datasets.md): a header `x1,...,xF,label` (`,split` when
 * the parts have one), then a line per sample, part after part, numbers
 * with 17 significant digits (they read back to the same doubles).
 * @return 0 or -1 on a write error (ferror).
 */
int tool_csv_write(FILE *fp, const tool_csv_part *parts, size_t n);

/** tool_csv_write() to path ("-": standard output) through tool_out. @return 0 or TOOL_RUNTIME. */
int tool_save_csv(tool_ctx *ctx, const char *path, const tool_csv_part *parts, size_t n);

/* ---- run.c: one process, or the processes of mpirun ---- */

/**
 * Under mpirun (and built with MPI), start MPI: errors come back as codes,
 * and on every process but the first stdout goes to /dev/null.
 * @return 0 or TOOL_RUNTIME (after the message).
 */
int tool_run_start(tool_ctx *ctx);

/** Finish MPI when it was started. */
void tool_run_finish(tool_ctx *ctx);

/**
 * Agree on a phase's outcome: every process passes its status and gets the
 * same answer -- a failure of any process (its own before one that only
 * reports a peer's), else TOOL_DONE if any process finished early, else 0.
 * The failing process prints its message (one message for the run). The
 * first agreement also compares the command lines: processes started with
 * different arguments are a usage error (every process runs the same
 * command). One process: status as it is.
 */
int tool_agree(tool_ctx *ctx, int status);

/** The seed: given, else from the clock -- the first process's, on every process. */
uint32_t tool_seed(tool_ctx *ctx, int given, uint32_t seed);

/**
 * This process's contiguous share [*first, *first + *count) of n samples:
 * all of them for one process, nn_mpi_shard() under mpirun.
 * @return 0 or TOOL_RUNTIME.
 */
int tool_shard(tool_ctx *ctx, size_t n, size_t *first, size_t *count);

/** nn_train_gd(), or nn_mpi_train_gd() over every process. @return as they. */
int tool_train_gd(tool_ctx *ctx, nn_net *net, nn_train_result *res, const nn_matrix *X,
		  const nn_labels *y, const nn_train_options *opt);

/**
 * A mini-batch run on this process's shard of `mine` samples (the shards
 * contiguous and in rank order, as tool_shard() cuts them): under mpirun,
 * agree on rc first -- a failure on any process is its own code there and
 * NN_EPEER on the others, before any of them waits in the run's reductions
 * -- then fill dist with the shard's place and the reduction over every
 * process. One process: dist zeroed.
 * @return rc, NN_EPEER, NN_EIO (an MPI call failed) or 0.
 */
int tool_fit_dist(tool_ctx *ctx, nn_dist *dist, size_t mine, int rc);

/** Sum v[0..n) over every process, in place (one process: as it is). @return 0 or NN_EIO. */
int tool_sum(tool_ctx *ctx, size_t *v, size_t n);

#endif /* TOOL_H */
