/*
 * A program's run: its phases and their agreement, messages, the
 * termination signals held while a temporary file exists, and standard
 * output checked at the end.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"
#include "tool-internal.h"

/*
 * SIGINT, SIGTERM and SIGHUP while a temporary output file exists would
 * leave it behind, full-size, beside the target. Blocking them in the
 * writing thread is not enough: OpenBLAS starts its worker threads when it
 * is loaded, before main(), with every signal unblocked, and the kernel
 * hands a process-directed signal to any thread that does not block it --
 * whose default action ends the whole process. So the programs catch them:
 * outside a save the handler ends the process at once, as the default
 * would; during one it only notes the signal, and the save, once its file
 * is renamed into place (or removed), ends the process with it. This is
 * the one mutable state of the toolkit, as a signal handler's must be.
 */
static volatile sig_atomic_t held, pending;
static const int caught[] = { SIGINT, SIGTERM, SIGHUP };

static void on_signal(int sig)
{
	if (held) {
		pending = sig;
		return;
	}
	/* the default action, from this thread: the signal is blocked while the
	 * handler runs and is delivered, fatally, when it returns */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Catch the signals that are not ignored (nohup, a background job's SIGINT keep theirs). */
static void catch_signals(void)
{
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++) {
		struct sigaction old, sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
		sigemptyset(&sa.sa_mask);
		if (sigaction(caught[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(caught[i], &sa, NULL);
	}
}

void tool__hold_signals(void)
{
	held++;
}

void tool__release_signals(void)
{
	if (--held > 0)
		return;
	int sig = pending;
	if (sig) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

static void vmessage(tool_ctx *ctx, const char *fmt, va_list ap)
{
	if (ctx->size > 1) {
		/* under mpirun: the first error of the phase, for tool_agree() */
		if (!ctx->msg[0])
			vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
		return;
	}
	fprintf(stderr, "%s: ", ctx->prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void tool_error(tool_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(ctx, fmt, ap);
	va_end(ap);
}

int tool_nn_error(tool_ctx *ctx, int rc, const char *fmt, ...)
{
	/* the reason first: formatting the message may change errno */
	const char *why = rc == NN_EIO && errno ? strerror(errno) : nn_error_message(rc);
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (rc == NN_EPEER && !ctx->msg[0])
		ctx->peer = 1;
	tool_error(ctx, "%s: %s", what, why);
	return TOOL_RUNTIME;
}

void tool_warn(tool_ctx *ctx, const char *fmt, ...)
{
	if (!tool_root(ctx))
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", ctx->prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int tool_root(const tool_ctx *ctx)
{
	return ctx->rank == 0;
}

double tool_percent(size_t count, size_t n)
{
	return (double)count * (100. / (double)n);
}

/* Standard output, written by printf all along: a failed write (a full
 * disk, a closed pipe) must not pass for success. */
static int check_stdout(tool_ctx *ctx, int status)
{
	int failed = ferror(stdout);
	errno = 0;
	if (fflush(stdout) != 0)
		failed = 1;
	/* a run that failed has said why (perhaps this very write) */
	if (!failed || (status != TOOL_OK && status != TOOL_DONE))
		return status;
	tool_error(ctx, "standard output: %s", errno ? strerror(errno) : "write error");
	return TOOL_RUNTIME;
}

int tool_main(const char *prog, int argc, char **argv, const tool_phase *phases, size_t n,
	      void *state, void (*done)(void *state))
{
	tool_ctx ctx = { .prog = prog, .argc = argc, .argv = argv, .size = 1 };
	catch_signals();
	int status = tool_run_start(&ctx);
	for (size_t i = 0; status == TOOL_OK && i < n; i++)
		status = tool_agree(&ctx, phases[i](&ctx, state));
	if (done)
		done(state);
	/* a failure is already agreed on; else all learn of rank 0's stdout */
	int failed = status != TOOL_OK && status != TOOL_DONE;
	status = check_stdout(&ctx, status);
	if (!failed)
		status = tool_agree(&ctx, status);
	tool_run_finish(&ctx);
	/* the last word on standard output: closing it can still fail (NFS) */
	if (fclose(stdout) != 0 && (status == TOOL_OK || status == TOOL_DONE)) {
		fprintf(stderr, "%s: standard output: %s\n", prog, strerror(errno));
		status = TOOL_RUNTIME;
	}
	return status == TOOL_DONE ? 0 : status;
}
