/* The numpy reference process: two pipes and a line protocol. */
#include "numpy_client.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int numpy_start(struct numpy_child *c, const char *python, const char *script,
		char *const *args)
{
	int in[2], out[2];
	memset(c, 0, sizeof(*c));
	c->pid = -1;
	if (pipe(in))
		return -1;
	if (pipe(out)) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	size_t n = 0;
	while (args[n])
		n++;
	char **argv = calloc(n + 4, sizeof(*argv));
	if (!argv)
		goto fail;
	argv[0] = (char *)python;
	argv[1] = (char *)script;
	argv[2] = (char *)"--serve";
	memcpy(argv + 3, args, n * sizeof(*argv));
	fflush(NULL);
	c->pid = fork();
	if (c->pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execv(python, argv);
		_exit(127);
	}
	free(argv);
	if (c->pid < 0)
		goto fail;
	close(in[0]);
	close(out[1]);
	c->to = fdopen(in[1], "w");
	c->from = fdopen(out[0], "r");
	if (!c->to || !c->from) {
		numpy_stop(c);
		return -1;
	}
	return 0;
fail:
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
	return -1;
}

int numpy_ask(struct numpy_child *c, char *reply, size_t len, const char *fmt, ...)
{
	if (!c->to || !c->from)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->to, fmt, ap);
	va_end(ap);
	fputc('\n', c->to);
	if (fflush(c->to))
		return -1;
	if (!fgets(reply, (int)len, c->from))
		return -1;
	reply[strcspn(reply, "\n")] = '\0';
	return 0;
}

void numpy_stop(struct numpy_child *c)
{
	if (c->to) {
		fputs("quit\n", c->to);
		fclose(c->to);
		c->to = NULL;
	}
	if (c->from) {
		fclose(c->from);
		c->from = NULL;
	}
	if (c->pid > 0) {
		int st;
		waitpid(c->pid, &st, 0);
		c->pid = -1;
	}
}
