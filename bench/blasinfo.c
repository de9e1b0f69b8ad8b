/*
 * Run-time identification of the BLAS behind cblas_dgemm.
 *
 * Debian's backends are interchangeable libblas.so.3 builds, one directory
 * each under /usr/lib/<multiarch>/, so the directory of the library that
 * defines cblas_dgemm names the backend. Each backend is then asked what it
 * runs, through functions looked up by name so that the bench links only
 * the generic CBLAS:
 *   OpenBLAS  openblas_get_corename / _config / _num_threads (libopenblas.so.0,
 *             loaded by its libblas.so.3);
 *   BLIS      Debian's libblas.so.3 of BLIS exports no bli_ symbols, so the
 *             libblis.so.4 of the same build, beside it, is asked which
 *             sub-configuration its CPU detection picks (the same code runs in
 *             both copies);
 *   ATLAS     ATL_buildinfo() from libatlas.so.3 (its ARCHDEFS line);
 *   netlib    the reference Fortran BLAS: no kernels to choose.
 */
#define _GNU_SOURCE
#include "blasinfo.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* fp = the symbol, without an object-to-function pointer cast (ISO C) */
#define LOOKUP(fp, handle, name)                          \
	do {                                              \
		void *p_ = dlsym(handle, name);           \
		memcpy(&(fp), &p_, sizeof(fp));           \
	} while (0)

/* strlcpy: dst always terminated, src cut to fit */
static void copy(char *dst, size_t len, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= len)
		n = len - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The ARCHDEFS line of ATL_buildinfo(), which prints to stdout. */
static void atlas_archdefs(char *out, size_t len, void (*buildinfo)(void))
{
	FILE *tmp = tmpfile();
	if (!tmp)
		return;
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	if (saved < 0) {
		fclose(tmp);
		return;
	}
	dup2(fileno(tmp), STDOUT_FILENO);
	buildinfo();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	char line[1024];
	while (fgets(line, sizeof(line), tmp)) {
		char *p = strstr(line, "ARCHDEFS");
		if (!p && strstr(line, "ATLAS version")) {
			line[strcspn(line, "\n")] = '\0';
			copy(out, len, line);
		}
		if (p) {
			p = strchr(p, ':');
			p = p ? p + 1 : line;
			while (*p == ' ')
				p++;
			p[strcspn(p, "\n")] = '\0';
			size_t used = strlen(out);
			snprintf(out + used, len - used, "%s%s", used ? "; " : "", p);
		}
	}
	fclose(tmp);
}

void bench_blas_info(struct bench_blas_info *info)
{
	memset(info, 0, sizeof(*info));
	info->threads = -1;
	copy(info->backend, sizeof(info->backend), "unknown");

	void *fn = dlsym(RTLD_DEFAULT, "cblas_dgemm");
	Dl_info dl;
	char real[PATH_MAX];
	if (fn && dladdr(fn, &dl) && dl.dli_fname) {
		copy(info->path, sizeof(info->path),
		     realpath(dl.dli_fname, real) ? real : dl.dli_fname);
		char dir[PATH_MAX];
		copy(dir, sizeof(dir), info->path);
		char *slash = strrchr(dir, '/');
		if (slash) {
			*slash = '\0';
			slash = strrchr(dir, '/');
			copy(info->backend, sizeof(info->backend), slash ? slash + 1 : dir);
		}
		/* OpenBLAS linked directly, not through a libblas.so.3 directory */
		if (strstr(info->path, "libopenblas") && !strncmp(info->backend, "x86_64", 6))
			copy(info->backend, sizeof(info->backend), "openblas");
	}
	if (!strcmp(info->backend, "blas"))
		copy(info->backend, sizeof(info->backend), "netlib");

	if (strstr(info->path, "openblas")) {
		/* ask the OpenBLAS behind this libblas.so.3 (its dependency
		 * libopenblas.so.0), not another one LAPACK may have loaded */
		void *h = dlopen(info->path, RTLD_LAZY | RTLD_LOCAL | RTLD_NOLOAD);
		char *(*corename)(void) = NULL, *(*config)(void) = NULL;
		int (*nthreads)(void) = NULL, (*parallel)(void) = NULL;
		if (h) {
			LOOKUP(corename, h, "openblas_get_corename");
			LOOKUP(config, h, "openblas_get_config");
			LOOKUP(nthreads, h, "openblas_get_num_threads");
			LOOKUP(parallel, h, "openblas_get_parallel");
		}
		if (corename)
			snprintf(info->kernel, sizeof(info->kernel), "OpenBLAS core %s", corename());
		if (config)
			copy(info->config, sizeof(info->config), config());
		if (nthreads)
			info->threads = nthreads();
		if (parallel) {
			static const char *const kind[] = { "sequential", "pthreads", "OpenMP" };
			int p = parallel();
			size_t used = strlen(info->config);
			snprintf(info->config + used, sizeof(info->config) - used, " (%s)",
				 p >= 0 && p <= 2 ? kind[p] : "?");
		}
		return;
	}

	if (!strncmp(info->backend, "blis", 4)) {
		char lib[PATH_MAX];
		copy(lib, sizeof(lib), info->path);
		char *slash = strrchr(lib, '/');
		if (slash)
			snprintf(slash + 1, sizeof(lib) - (size_t)(slash + 1 - lib), "libblis.so.4");
		void *h = dlopen(lib, RTLD_LAZY | RTLD_LOCAL);
		int (*arch)(void) = NULL;
		const char *(*arch_str)(int) = NULL, *(*ver)(void) = NULL;
		long (*bt)(void) = NULL;
		if (h) {
			LOOKUP(arch, h, "bli_arch_query_id");
			LOOKUP(arch_str, h, "bli_arch_string");
			LOOKUP(ver, h, "bli_info_get_version_str");
			LOOKUP(bt, h, "bli_thread_get_num_threads");
		}
		if (arch && arch_str)
			snprintf(info->kernel, sizeof(info->kernel), "BLIS sub-configuration %s",
				 arch_str(arch()));
		else
			copy(info->kernel, sizeof(info->kernel), "BLIS (libblis.so.4 not found to ask)");
		if (ver)
			snprintf(info->config, sizeof(info->config), "BLIS %s", ver());
		if (bt) /* -1 when no variable sets it: BLIS then runs one thread */
			info->threads = bt() < 1 ? 1 : (int)bt();
		/* the handle stays open: BLIS has no clean unload */
		return;
	}

	if (!strcmp(info->backend, "atlas")) {
		void *h = dlopen("libatlas.so.3", RTLD_LAZY | RTLD_LOCAL | RTLD_NOLOAD);
		void (*bi)(void) = NULL;
		if (h)
			LOOKUP(bi, h, "ATL_buildinfo");
		copy(info->kernel, sizeof(info->kernel), "ATLAS (kernels fixed at build time)");
		if (bi)
			atlas_archdefs(info->config, sizeof(info->config), bi);
		info->threads = 1;
		return;
	}

	if (!strcmp(info->backend, "netlib")) {
		copy(info->kernel, sizeof(info->kernel), "reference Fortran loops (no tuned kernels)");
		copy(info->config, sizeof(info->config), "netlib reference BLAS");
		info->threads = 1;
	}
}

void bench_print_blas_env(void)
{
	static const char *const vars[] = {
		"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
		"BLIS_NUM_THREADS",  "OMP_NUM_THREADS",  "LD_LIBRARY_PATH",
	};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		printf("#   %-21s %s\n", vars[i], v ? v : "(unset)");
	}
}
