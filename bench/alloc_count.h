/* Heap allocations of the whole process since it started (alloc_count.c). */
#ifndef NN_BENCH_ALLOC_COUNT_H
#define NN_BENCH_ALLOC_COUNT_H

unsigned long bench_alloc_count(void);

/* Of those, the calls made by nn (and the bench) itself, not by shared libraries. */
unsigned long bench_alloc_count_own(void);

#endif /* NN_BENCH_ALLOC_COUNT_H */
