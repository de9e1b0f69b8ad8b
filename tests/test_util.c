#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

double tu_max_rel_err(const double *a, const double *b, size_t n, double floor)
{
	double worst = 0.0;
	for (size_t i = 0; i < n; i++) {
		double scale = fmax(fmax(fabs(a[i]), fabs(b[i])), floor);
		double e = fabs(a[i] - b[i]) / scale;
		if (!(e <= worst))
			worst = e; /* also catches NaN */
	}
	return worst;
}

void tu_fill_uniform(nn_matrix *m, nn_rng *rng, double lo, double hi)
{
	for (size_t j = 0; j < m->cols; j++)
		for (size_t i = 0; i < m->rows; i++)
			NN_AT(m, i, j) = nn_rng_uniform(rng, lo, hi);
}

void tu_fill_labels(nn_labels *y, nn_rng *rng, size_t k)
{
	for (size_t i = 0; i < y->n; i++)
		y->data[i] = (int)nn_rng_interval(rng, k == 1 ? 1 : k - 1);
}

int tu_tmpdir_new(char dir[TU_TMPDIR_LEN], const char *tag)
{
	snprintf(dir, TU_TMPDIR_LEN, "/tmp/nn-%s-XXXXXX", tag);
	return mkdtemp(dir) ? 0 : -1;
}

void tu_tmpdir_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			if (unlink(p) != 0)
				tu_tmpdir_remove(p); /* a directory the test made */
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* The linker's --wrap=malloc routes every call from objects linked into the
 * test program -- libnn.a among them -- here; shared libraries (BLAS, Check)
 * are not affected, so the count is nn's own. */
unsigned long tu_alloc_count;
unsigned long long tu_alloc_bytes;
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n)
{
	tu_alloc_count++;
	tu_alloc_bytes += n;
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	tu_alloc_count++;
	tu_alloc_bytes += (unsigned long long)n * size;
	return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	tu_alloc_count++;
	tu_alloc_bytes += n;
	return __real_realloc(p, n);
}

int tu_thread_sum(void *user, double *buf, size_t n, nn_reduce_op op)
{
	struct tu_member *m = user;
	struct tu_group *g = m->g;
	g->slot[m->id] = buf;
	g->n = n;
	pthread_barrier_wait(&g->bar);
	/* every member sums the slots in rank order, into a private copy first */
	double *sum = calloc(n, sizeof(double));
	for (int k = 0; sum && k < g->ranks; k++)
		for (size_t i = 0; i < n; i++)
			sum[i] = op == NN_REDUCE_MAX && k ? fmax(sum[i], g->slot[k][i])
			       : op == NN_REDUCE_MAX ? g->slot[k][i] : sum[i] + g->slot[k][i];
	pthread_barrier_wait(&g->bar); /* reached even without memory: nobody hangs */
	if (!sum)
		return NN_ENOMEM;
	memcpy(buf, sum, n * sizeof(double));
	free(sum);
	return 0;
}

static void tu_on_alarm(int sig)
{
	(void)sig; /* only to interrupt the blocked call */
}

void tu_alarm_start(unsigned seconds)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tu_on_alarm; /* no SA_RESTART: the blocked call returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

void tu_alarm_stop(void)
{
	alarm(0);
	signal(SIGALRM, SIG_DFL);
}
