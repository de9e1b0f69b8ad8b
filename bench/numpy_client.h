/*
 * The numpy reference as a child process (bench/numpy_step.py --serve):
 * it loads the same data and weights once, then answers one-line commands
 * so that the bench can interleave its timing rounds with nn's.
 */
#ifndef NN_BENCH_NUMPY_CLIENT_H
#define NN_BENCH_NUMPY_CLIENT_H

#include <stdio.h>
#include <sys/types.h>

struct numpy_child {
	pid_t pid;
	FILE *to;    /* its stdin */
	FILE *from;  /* its stdout */
};

/*
 * Start `python script --serve ARGS...` (argv NULL-terminated, after the
 * script), in the bench's environment (same LD_LIBRARY_PATH and thread
 * variables). Returns 0 or -1.
 */
int numpy_start(struct numpy_child *c, const char *python, const char *script,
		char *const *args);

/* Send one command line and read one reply line into reply. Returns 0 or -1. */
int numpy_ask(struct numpy_child *c, char *reply, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Ask it to quit and reap it. */
void numpy_stop(struct numpy_child *c);

#endif /* NN_BENCH_NUMPY_CLIENT_H */
