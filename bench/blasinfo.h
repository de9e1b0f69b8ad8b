/*
 * Which BLAS the process really runs, found at run time: the library that
 * defines cblas_dgemm (dladdr), and what that library says about itself
 * through the optional query functions each backend exports (dlsym).
 */
#ifndef NN_BENCH_BLASINFO_H
#define NN_BENCH_BLASINFO_H

struct bench_blas_info {
	char path[512];     /* real path of the library defining cblas_dgemm */
	char backend[64];   /* its directory's name: openblas-pthread, blis-serial, atlas, ... */
	char kernel[256];   /* the kernel it runs: OpenBLAS core, BLIS arch, or a description */
	char config[512];   /* version and build details, where the library tells them */
	int threads;        /* BLAS threads it will use (-1: unknown) */
};

void bench_blas_info(struct bench_blas_info *info);

/* Echo the variables that change which kernel or how many threads a BLAS uses. */
void bench_print_blas_env(void);

#endif /* NN_BENCH_BLASINFO_H */
