/*
 * Counting every heap allocation of the process, BLAS included: the bench
 * executable defines the allocation functions, which the dynamic linker
 * then binds for every library, and forwards them to glibc's own entry
 * points (__libc_malloc and friends, which glibc exports for exactly this).
 * Only the counting is added; the allocator is glibc's.
 *
 * nn's own calls are counted apart: the bench links nn statically with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc, so a call from nn's (or
 * the bench's) objects reaches __wrap_malloc first, then __real_malloc,
 * which is the counting malloc below. Shared libraries are not rewritten.
 */
#include "alloc_count.h"

#include <errno.h>
#include <stddef.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);

static volatile unsigned long count, own;

unsigned long bench_alloc_count(void)
{
	return __atomic_load_n(&count, __ATOMIC_RELAXED);
}

unsigned long bench_alloc_count_own(void)
{
	return __atomic_load_n(&own, __ATOMIC_RELAXED);
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n)
{
	__atomic_fetch_add(&own, 1, __ATOMIC_RELAXED);
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	__atomic_fetch_add(&own, 1, __ATOMIC_RELAXED);
	return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	__atomic_fetch_add(&own, 1, __ATOMIC_RELAXED);
	return __real_realloc(p, n);
}

static void bump(void)
{
	__atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
}

void *malloc(size_t n)
{
	bump();
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	bump();
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	bump();
	return __libc_realloc(p, n);
}

void *memalign(size_t align, size_t n)
{
	bump();
	return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
	bump();
	return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align % sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	bump();
	void *p = __libc_memalign(align, n);
	if (!p && n)
		return ENOMEM;
	*out = p;
	return 0;
}
