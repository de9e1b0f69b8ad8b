/*
 * nn-data: write scikit-learn's toy data sets as CSV, drawn exactly as
 * scikit-learn 1.2 draws them with random_state=K (see doc/datasets.md).
 *
 *   nn-data blobs|circles|moons|classification [options] [-o FILE]
 *
 * Exit status: 0 on success, 2 for a bad command line or parameter, 1 when
 * writing fails. With -o the CSV goes to a temporary file in FILE's
 * directory, renamed over FILE only once complete: a failed run leaves no
 * partial file.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nn/nn.h>

enum gen { GEN_BLOBS, GEN_CIRCLES, GEN_MOONS, GEN_CLASSIFICATION };
static const char *const gen_names[] = { "blobs", "circles", "moons", "classification" };

/* Which generators each option applies to (bit g for generator g). */
#define ALL 0xf
#define BIT(g) (1u << (g))

struct args {
	int gen;
	const char *out;
	int has_seed;
	uint32_t seed;
	int has_test;
	double test_size; /* a fraction in (0, 1) ... */
	size_t test_count; /* ... or a count */
	nn_blobs_options blobs;
	nn_circles_options circles;
	nn_moons_options moons;
	nn_classification_options cls;
};

static void usage(FILE *fp)
{
	fputs("usage: nn-data blobs|circles|moons|classification [options]\n"
	      "Write a scikit-learn toy data set as CSV (columns x1..xF, label, and split\n"
	      "with --test-size), drawn as scikit-learn 1.2 draws it with random_state=K.\n"
	      "\n"
	      "  --samples N             number of samples (default 100)\n"
	      "  --features F            features (blobs: 2, classification: 20)\n"
	      "  --centers K             blobs: number of centres (default 3)\n"
	      "  --cluster-std S         blobs: standard deviation of each blob (default 1.0)\n"
	      "  --center-box LO,HI      blobs: box the centres are drawn in (default -10,10)\n"
	      "  --noise X               circles, moons: std of Gaussian noise (default none)\n"
	      "  --factor F              circles: inner radius / outer radius, in [0, 1) (0.8)\n"
	      "  --classes C             classification: number of classes (default 2)\n"
	      "  --informative N         classification: informative features (default 2)\n"
	      "  --redundant N           classification: redundant features (default 2)\n"
	      "  --clusters-per-class N  classification: clusters per class (default 2)\n"
	      "  --seed K                random_state=K, 0 <= K < 2^32 (default: from the clock,\n"
	      "                          printed to stderr)\n"
	      "  --test-size F           split like train_test_split(test_size=F): a fraction\n"
	      "                          in (0, 1) or a count; train rows come first\n"
	      "  -o FILE                 write FILE (default: standard output)\n"
	      "  -h, --help              show this help\n",
	      fp);
}

/* A one-line message for a bad command line; returns exit status 2. */
__attribute__((format(printf, 1, 2))) static int bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("nn-data: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(" (try --help)\n", stderr);
	va_end(ap);
	return 2;
}

/* A whole-string unsigned integer; no sign, no spaces. */
static int parse_size(const char *s, size_t *out)
{
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > SIZE_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* A whole-string finite number. */
static int parse_double(const char *s, double *out)
{
	if (!s || !*s)
		return -1;
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || end == s)
		return -1;
	*out = v;
	return 0;
}

static int parse_box(const char *s, double box[2])
{
	const char *comma = s ? strchr(s, ',') : NULL;
	if (!comma || comma == s)
		return -1;
	char lo[64];
	size_t n = (size_t)(comma - s);
	if (n >= sizeof(lo))
		return -1;
	memcpy(lo, s, n);
	lo[n] = '\0';
	if (parse_double(lo, &box[0]) || parse_double(comma + 1, &box[1]))
		return -1;
	return isfinite(box[1] - box[0]) ? 0 : -1;
}

/* The value of an option, from "--opt=value" or the next argument. */
static const char *value_of(int argc, char **argv, int *i, const char *inline_value)
{
	if (inline_value)
		return inline_value;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_args(struct args *a, int argc, char **argv)
{
	a->gen = -1;
	a->blobs = nn_blobs_defaults();
	a->circles = nn_circles_defaults();
	a->moons = nn_moons_defaults();
	a->cls = nn_classification_defaults();
	size_t samples = 0, features = 0;
	int has_samples = 0, has_features = 0;
	char given[32][64];
	unsigned masks[32];
	int n_given = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (arg[0] != '-' || arg[1] == '\0') {
			if (a->gen >= 0)
				return bad("unexpected argument '%s'", arg);
			for (int g = 0; g < 4; g++)
				if (strcmp(arg, gen_names[g]) == 0)
					a->gen = g;
			if (a->gen < 0)
				return bad("unknown data set '%s': use blobs, circles, moons or classification", arg);
			continue;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		char name[64];
		const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		if (len >= sizeof(name))
			return bad("unknown option '%s'", arg);
		memcpy(name, arg, len);
		name[len] = '\0';
		static const char *const known[] = { "--samples", "--features", "--centers",
			"--cluster-std", "--center-box", "--noise", "--factor", "--classes",
			"--informative", "--redundant", "--clusters-per-class", "--seed", "--test-size",
			"-o" };
		int is_known = 0;
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			is_known |= strcmp(name, known[k]) == 0;
		if (!is_known)
			return bad("unknown option '%s'", name);
		const char *v = value_of(argc, argv, &i, eq ? eq + 1 : NULL);
		unsigned applies = ALL;
		int ok = 0;
		if (!v)
			return bad("option %s needs a value", name);
		if (strcmp(name, "--samples") == 0) {
			ok = parse_size(v, &samples) == 0 && samples > 0;
			has_samples = 1;
		} else if (strcmp(name, "--features") == 0) {
			ok = parse_size(v, &features) == 0 && features > 0;
			has_features = 1;
			applies = BIT(GEN_BLOBS) | BIT(GEN_CLASSIFICATION);
		} else if (strcmp(name, "--centers") == 0) {
			ok = parse_size(v, &a->blobs.n_centers) == 0 && a->blobs.n_centers > 0;
			applies = BIT(GEN_BLOBS);
		} else if (strcmp(name, "--cluster-std") == 0) {
			ok = parse_double(v, &a->blobs.cluster_std) == 0 && a->blobs.cluster_std >= 0;
			applies = BIT(GEN_BLOBS);
		} else if (strcmp(name, "--center-box") == 0) {
			ok = parse_box(v, a->blobs.center_box) == 0;
			applies = BIT(GEN_BLOBS);
		} else if (strcmp(name, "--noise") == 0) {
			double x;
			ok = parse_double(v, &x) == 0 && x >= 0;
			a->circles.has_noise = a->moons.has_noise = 1;
			a->circles.noise = a->moons.noise = x;
			applies = BIT(GEN_CIRCLES) | BIT(GEN_MOONS);
		} else if (strcmp(name, "--factor") == 0) {
			ok = parse_double(v, &a->circles.factor) == 0 && a->circles.factor >= 0 &&
			     a->circles.factor < 1;
			applies = BIT(GEN_CIRCLES);
		} else if (strcmp(name, "--classes") == 0) {
			ok = parse_size(v, &a->cls.n_classes) == 0 && a->cls.n_classes > 0;
			applies = BIT(GEN_CLASSIFICATION);
		} else if (strcmp(name, "--informative") == 0) {
			ok = parse_size(v, &a->cls.n_informative) == 0 && a->cls.n_informative > 0;
			applies = BIT(GEN_CLASSIFICATION);
		} else if (strcmp(name, "--redundant") == 0) {
			ok = parse_size(v, &a->cls.n_redundant) == 0;
			applies = BIT(GEN_CLASSIFICATION);
		} else if (strcmp(name, "--clusters-per-class") == 0) {
			ok = parse_size(v, &a->cls.n_clusters_per_class) == 0 &&
			     a->cls.n_clusters_per_class > 0;
			applies = BIT(GEN_CLASSIFICATION);
		} else if (strcmp(name, "--seed") == 0) {
			size_t s;
			ok = parse_size(v, &s) == 0 && s <= UINT32_MAX;
			a->seed = (uint32_t)s;
			a->has_seed = 1;
		} else if (strcmp(name, "--test-size") == 0) {
			/* an integer is a count, anything else a fraction, as in sklearn */
			a->has_test = 1;
			if (parse_size(v, &a->test_count) == 0)
				ok = a->test_count > 0;
			else
				ok = parse_double(v, &a->test_size) == 0 && a->test_size > 0 &&
				     a->test_size < 1;
		} else if (strcmp(name, "-o") == 0) {
			ok = *v != '\0';
			a->out = v;
		}
		if (!ok)
			return bad("bad value '%s' for %s", v, name);
		if (n_given < 32) {
			memcpy(given[n_given], name, len + 1);
			masks[n_given++] = applies;
		}
	}
	if (a->gen < 0)
		return bad("no data set given: use blobs, circles, moons or classification");
	for (int k = 0; k < n_given; k++)
		if (!(masks[k] & BIT(a->gen)))
			return bad("option %s does not apply to %s", given[k], gen_names[a->gen]);
	if (has_samples) {
		a->blobs.n_samples = a->circles.n_samples = a->moons.n_samples = samples;
		a->cls.n_samples = samples;
	}
	if (has_features) {
		a->blobs.n_features = features;
		a->cls.n_features = features;
	}
	if (a->gen == GEN_CLASSIFICATION) {
		const nn_classification_options *c = &a->cls;
		if (c->n_informative > c->n_features || c->n_redundant > c->n_features - c->n_informative)
			return bad("--informative + --redundant must not exceed --features");
		if (c->n_informative < 63 &&
		    (c->n_classes > (SIZE_MAX >> 1) / c->n_clusters_per_class ||
		     c->n_classes * c->n_clusters_per_class > ((size_t)1 << c->n_informative)))
			return bad("--classes x --clusters-per-class must not exceed 2^--informative");
	}
	size_t n = a->gen == GEN_BLOBS ? a->blobs.n_samples
		   : a->gen == GEN_CIRCLES ? a->circles.n_samples
		   : a->gen == GEN_MOONS ? a->moons.n_samples
					 : a->cls.n_samples;
	if (a->has_test && a->test_count >= n)
		return bad("--test-size: a count must be smaller than the number of samples");
	return 0;
}

/* The CSV; returns 0 or -1 on a write error. */
static int write_csv(FILE *fp, const nn_matrix *parts, const nn_labels *labels, int n_parts)
{
	static const char *const split_names[] = { "train", "test" };
	size_t F = parts[0].rows;
	for (size_t j = 0; j < F; j++)
		fprintf(fp, "x%zu,", j + 1);
	fputs(n_parts > 1 ? "label,split\n" : "label\n", fp);
	for (int p = 0; p < n_parts; p++) {
		for (size_t i = 0; i < parts[p].cols; i++) {
			for (size_t j = 0; j < F; j++)
				fprintf(fp, "%.17g,", NN_AT(&parts[p], j, i));
			if (n_parts > 1)
				fprintf(fp, "%d,%s\n", labels[p].data[i], split_names[p]);
			else
				fprintf(fp, "%d\n", labels[p].data[i]);
		}
	}
	return ferror(fp) ? -1 : 0;
}

/* Write to a temporary file beside path, then rename it into place. */
static int write_file(const char *path, const nn_matrix *parts, const nn_labels *labels,
		      int n_parts)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	if (!tmp) {
		fprintf(stderr, "nn-data: out of memory\n");
		return 1;
	}
	snprintf(tmp, len + 16, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "nn-data: cannot create a file beside %s: %s\n", path, strerror(errno));
		free(tmp);
		return 1;
	}
	/* mkstemp makes 0600; give the file the mode any new file would get */
	mode_t mask = umask(0);
	umask(mask);
	int err = fchmod(fd, 0666 & ~mask) != 0;
	FILE *fp = err ? NULL : fdopen(fd, "w");
	err = err || !fp || write_csv(fp, parts, labels, n_parts) != 0;
	if (fp) {
		err = err || fflush(fp) != 0 || fsync(fd) != 0;
		err |= fclose(fp) != 0;
	} else {
		close(fd);
	}
	if (!err && rename(tmp, path) != 0)
		err = 1;
	if (err) {
		fprintf(stderr, "nn-data: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return err;
}

static uint32_t clock_seed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint32_t)((uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^
			  (uint64_t)getpid() << 16);
}

int main(int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof(a));
	int status = parse_args(&a, argc, argv);
	if (status)
		return status;
	if (!a.has_seed) {
		a.seed = clock_seed();
		fprintf(stderr, "nn-data: seed %u\n", (unsigned)a.seed);
	}

	nn_rng *rng = NULL;
	nn_matrix X = { 0 }, parts[2] = { { 0 }, { 0 } };
	nn_labels y = { 0 }, labels[2] = { { 0 }, { 0 } };
	int err = nn_rng_new(&rng, a.seed);
	if (!err) {
		switch (a.gen) {
		case GEN_BLOBS: err = nn_make_blobs(&X, &y, &a.blobs, rng); break;
		case GEN_CIRCLES: err = nn_make_circles(&X, &y, &a.circles, rng); break;
		case GEN_MOONS: err = nn_make_moons(&X, &y, &a.moons, rng); break;
		default: err = nn_make_classification(&X, &y, &a.cls, rng); break;
		}
	}
	if (!err && a.has_test) {
		nn_split_options o = nn_split_defaults();
		o.test_size = a.test_size;
		o.test_count = a.test_count;
		err = nn_train_test_split(&parts[0], &parts[1], &labels[0], &labels[1], &X, &y, &o, rng);
	}
	if (err) {
		fprintf(stderr, "nn-data: %s: %s\n", gen_names[a.gen], nn_strerror(err));
		status = err == NN_EINVAL || err == NN_ESIZE ? 2 : 1;
		goto out;
	}
	int n_parts = a.has_test ? 2 : 1;
	if (!a.has_test) {
		parts[0] = X;
		labels[0] = y;
	}
	if (a.out && strcmp(a.out, "-") != 0) {
		status = write_file(a.out, parts, labels, n_parts);
	} else if (write_csv(stdout, parts, labels, n_parts) != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "nn-data: cannot write to standard output\n");
		status = 1;
	}
	if (!a.has_test) { /* parts[0] borrowed X and y: freed below */
		parts[0] = (nn_matrix){ 0 };
		labels[0] = (nn_labels){ 0 };
	}
out:
	nn_matrix_free(&parts[0]);
	nn_matrix_free(&parts[1]);
	nn_labels_free(&labels[0]);
	nn_labels_free(&labels[1]);
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
	return status;
}
