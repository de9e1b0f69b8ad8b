/*
 * A fork-join pool for nn's own kernels: the caller and n - 1 workers run
 * one job together, then the workers sleep on a condition variable until
 * the next one. They never spin: while BLAS runs, nn's threads hold no core
 * (doc/performance.md, "Threads").
 */
#include <pthread.h>
#include <stdlib.h>

#include "nn_internal.h"

struct worker {
	nn__pool *pool;
	size_t index;
	pthread_t thread;
};

struct nn__pool {
	size_t n;                /* threads of a job, the caller included */
	struct worker *workers;  /* n - 1 */
	size_t started;          /* workers created (for cleanup) */
	pthread_mutex_t lock;
	pthread_cond_t wake;     /* a job was posted, or quit */
	pthread_cond_t done;     /* the last worker finished the job */
	unsigned long job;       /* incremented for each job */
	size_t pending;          /* workers still running the job */
	int quit;
	void (*fn)(void *arg, size_t i, size_t n);
	void *arg;
};

static void *worker_main(void *p)
{
	struct worker *w = p;
	nn__pool *pool = w->pool;
	unsigned long seen = 0;
	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (pool->job == seen && !pool->quit)
			pthread_cond_wait(&pool->wake, &pool->lock);
		if (pool->quit)
			break;
		seen = pool->job;
		void (*fn)(void *, size_t, size_t) = pool->fn;
		void *arg = pool->arg;
		pthread_mutex_unlock(&pool->lock);
		fn(arg, w->index, pool->n);
		pthread_mutex_lock(&pool->lock);
		if (--pool->pending == 0)
			pthread_cond_signal(&pool->done);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

int nn__pool_new(nn__pool **out, size_t n)
{
	*out = NULL;
	if (n == 0)
		return NN_EINVAL;
	nn__pool *pool = calloc(1, sizeof(*pool));
	if (!pool)
		return NN_ENOMEM;
	pool->n = n;
	/* the lock and conditions first: from then on nn__pool_free cleans up */
	if (pthread_mutex_init(&pool->lock, NULL))
		goto no_lock;
	if (pthread_cond_init(&pool->wake, NULL))
		goto no_wake;
	if (pthread_cond_init(&pool->done, NULL))
		goto no_done;
	if (n > 1 && !(pool->workers = calloc(n - 1, sizeof(*pool->workers))))
		goto out;
	for (size_t i = 1; i < n; i++) {
		struct worker *w = &pool->workers[i - 1];
		w->pool = pool;
		w->index = i;
		if (pthread_create(&w->thread, NULL, worker_main, w))
			goto out;
		pool->started++;
	}
	*out = pool;
	return 0;
out:
	nn__pool_free(pool);
	return NN_ENOMEM;
no_done:
	pthread_cond_destroy(&pool->wake);
no_wake:
	pthread_mutex_destroy(&pool->lock);
no_lock:
	free(pool);
	return NN_ENOMEM;
}

void nn__pool_free(nn__pool *pool)
{
	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->quit = 1;
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	for (size_t i = 0; i < pool->started; i++)
		pthread_join(pool->workers[i].thread, NULL);
	pthread_cond_destroy(&pool->done);
	pthread_cond_destroy(&pool->wake);
	pthread_mutex_destroy(&pool->lock);
	free(pool->workers);
	free(pool);
}

size_t nn__pool_threads(const nn__pool *pool)
{
	return pool ? pool->n : 1;
}

void nn__pool_run(nn__pool *pool, void (*fn)(void *arg, size_t i, size_t n), void *arg)
{
	if (!pool || pool->n == 1) {
		fn(arg, 0, 1);
		return;
	}
	pthread_mutex_lock(&pool->lock);
	pool->fn = fn;
	pool->arg = arg;
	pool->pending = pool->n - 1;
	pool->job++;
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	fn(arg, 0, pool->n);
	pthread_mutex_lock(&pool->lock);
	while (pool->pending)
		pthread_cond_wait(&pool->done, &pool->lock);
	pthread_mutex_unlock(&pool->lock);
}
