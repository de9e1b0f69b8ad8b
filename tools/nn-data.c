/*
 * nn-data: write scikit-learn's toy data sets as CSV, drawn exactly as
 * scikit-learn 1.2 draws them with random_state=K (see doc/datasets.md).
 *
 *   nn-data blobs|circles|moons|classification [options] [-o FILE]
 *
 * The CSV is the toolkit's one layout, `x1,...,xF,label[,split]`; with -o
 * it appears only complete (tools/common). Exit status: 0 on success, 2 for
 * a bad command line or parameter, 1 when writing fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <nn/nn.h>

#include "tool.h"

enum gen { GEN_BLOBS, GEN_CIRCLES, GEN_MOONS, GEN_CLASSIFICATION };
static const char *const gen_names[] = { "blobs", "circles", "moons", "classification", NULL };

static const char usage[] =
	"usage: nn-data blobs|circles|moons|classification [options]\n"
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
	"  -h, --help              show this help\n"
	"  --version               show nn's version\n";

/* The flags, by index; which generators each applies to (bit g for generator g). */
enum { F_SAMPLES, F_FEATURES, F_CENTERS, F_STD, F_BOX, F_NOISE, F_FACTOR, F_CLASSES,
       F_INFORMATIVE, F_REDUNDANT, F_CLUSTERS, F_SEED, F_TEST, F_OUT, F_COUNT };
#define ALL 0xfu
#define BIT(g) (1u << (g))
static const unsigned applies[F_COUNT] = {
	[F_SAMPLES] = ALL, [F_FEATURES] = BIT(GEN_BLOBS) | BIT(GEN_CLASSIFICATION),
	[F_CENTERS] = BIT(GEN_BLOBS), [F_STD] = BIT(GEN_BLOBS), [F_BOX] = BIT(GEN_BLOBS),
	[F_NOISE] = BIT(GEN_CIRCLES) | BIT(GEN_MOONS), [F_FACTOR] = BIT(GEN_CIRCLES),
	[F_CLASSES] = BIT(GEN_CLASSIFICATION), [F_INFORMATIVE] = BIT(GEN_CLASSIFICATION),
	[F_REDUNDANT] = BIT(GEN_CLASSIFICATION), [F_CLUSTERS] = BIT(GEN_CLASSIFICATION),
	[F_SEED] = ALL, [F_TEST] = ALL, [F_OUT] = ALL,
};

struct data {
	int gen;
	size_t samples, features;
	uint32_t seed;
	tool_part test;
	double noise;
	const char *out;
	int given[F_COUNT];
	nn_blobs_options blobs;
	nn_circles_options circles;
	nn_moons_options moons;
	nn_classification_options cls;
	nn_matrix X, parts[2];
	nn_labels y, labels[2];
};

/* What the options say once they are known to apply. */
static int settle(tool_ctx *ctx, struct data *d)
{
	for (int f = 0; f < F_COUNT; f++)
		if (d->given[f] && !(applies[f] & BIT(d->gen))) {
			static const char *const names[F_COUNT] = { "--samples", "--features",
				"--centers", "--cluster-std", "--center-box", "--noise", "--factor",
				"--classes", "--informative", "--redundant", "--clusters-per-class",
				"--seed", "--test-size", "-o" };
			tool_error(ctx, "%s does not apply to %s", names[f], gen_names[d->gen]);
			return TOOL_USAGE;
		}
	if (d->given[F_SAMPLES])
		d->blobs.n_samples = d->circles.n_samples = d->moons.n_samples = d->cls.n_samples =
			d->samples;
	if (d->given[F_FEATURES])
		d->blobs.n_features = d->cls.n_features = d->features;
	if (d->given[F_NOISE]) {
		d->circles.has_noise = d->moons.has_noise = 1;
		d->circles.noise = d->moons.noise = d->noise;
	}
	if (!(d->circles.factor < 1)) {
		tool_error(ctx, "--factor: %g is out of range; it must be 0 or more and below 1",
			   d->circles.factor);
		return TOOL_USAGE;
	}
	const nn_classification_options *c = &d->cls;
	if (d->gen == GEN_CLASSIFICATION &&
	    (c->n_informative > c->n_features || c->n_redundant > c->n_features - c->n_informative)) {
		tool_error(ctx, "--informative + --redundant must not exceed --features");
		return TOOL_USAGE;
	}
	if (d->gen == GEN_CLASSIFICATION && c->n_informative < 63 &&
	    (c->n_classes > (SIZE_MAX >> 1) / c->n_clusters_per_class ||
	     c->n_classes * c->n_clusters_per_class > ((size_t)1 << c->n_informative))) {
		tool_error(ctx, "--classes x --clusters-per-class must not exceed 2^--informative");
		return TOOL_USAGE;
	}
	size_t n = d->gen == GEN_BLOBS ? d->blobs.n_samples : d->gen == GEN_CIRCLES ?
		   d->circles.n_samples : d->gen == GEN_MOONS ? d->moons.n_samples : c->n_samples;
	if (d->test.count >= n && d->test.count) {
		tool_error(ctx, "--test-size %zu: a count must be smaller than the %zu samples",
			   d->test.count, n);
		return TOOL_USAGE;
	}
	const tool_path out = { "-o", d->out };
	return tool_check_paths(ctx, NULL, 0, &out, 1);
}

static int parse(tool_ctx *ctx, void *state)
{
	struct data *d = state;
	d->blobs = nn_blobs_defaults();
	d->circles = nn_circles_defaults();
	d->moons = nn_moons_defaults();
	d->cls = nn_classification_defaults();
	d->out = "-";
	const tool_flag flags[F_COUNT] = {
		[F_SAMPLES] = { "--samples", TOOL_SIZE, &d->samples, &d->given[F_SAMPLES], 1, 0, NULL },
		[F_FEATURES] = { "--features", TOOL_SIZE, &d->features, &d->given[F_FEATURES], 1, 0,
				 NULL },
		[F_CENTERS] = { "--centers", TOOL_SIZE, &d->blobs.n_centers, &d->given[F_CENTERS], 1,
				0, NULL },
		[F_STD] = { "--cluster-std", TOOL_NONNEG, &d->blobs.cluster_std, &d->given[F_STD], 0, 0,
			    NULL },
		[F_BOX] = { "--center-box", TOOL_RANGE, d->blobs.center_box, &d->given[F_BOX], 0, 0,
			    NULL },
		[F_NOISE] = { "--noise", TOOL_NONNEG, &d->noise, &d->given[F_NOISE], 0, 0, NULL },
		[F_FACTOR] = { "--factor", TOOL_NONNEG, &d->circles.factor, &d->given[F_FACTOR], 0, 0,
			       NULL },
		[F_CLASSES] = { "--classes", TOOL_SIZE, &d->cls.n_classes, &d->given[F_CLASSES], 1, 0,
				NULL },
		[F_INFORMATIVE] = { "--informative", TOOL_SIZE, &d->cls.n_informative,
				    &d->given[F_INFORMATIVE], 1, 0, NULL },
		[F_REDUNDANT] = { "--redundant", TOOL_SIZE, &d->cls.n_redundant,
				  &d->given[F_REDUNDANT], 0, 0, NULL },
		[F_CLUSTERS] = { "--clusters-per-class", TOOL_SIZE, &d->cls.n_clusters_per_class,
				 &d->given[F_CLUSTERS], 1, 0, NULL },
		[F_SEED] = { "--seed", TOOL_U32, &d->seed, &d->given[F_SEED], 0, 0, NULL },
		[F_TEST] = { "--test-size", TOOL_PART, &d->test, &d->given[F_TEST], 1, 0, NULL },
		[F_OUT] = { "-o", TOOL_STRING, &d->out, &d->given[F_OUT], 0, 0, NULL },
	};
	const char *name = NULL;
	tool_cli cli = { flags, F_COUNT, usage, &name, 1, 0 };
	int rc = tool_parse(ctx, &cli);
	if (rc)
		return rc;
	if (!name) {
		tool_error(ctx, "no data set given: use blobs, circles, moons or classification");
		return TOOL_USAGE;
	}
	for (d->gen = 0; gen_names[d->gen] && strcmp(name, gen_names[d->gen]); d->gen++)
		;
	if (!gen_names[d->gen]) {
		tool_error(ctx, "unknown data set '%s': use blobs, circles, moons or classification",
			   name);
		return TOOL_USAGE;
	}
	return settle(ctx, d);
}

/* Draw the data set, then the split, from the one random stream. */
static int make(tool_ctx *ctx, void *state)
{
	struct data *d = state;
	uint32_t seed = tool_seed(ctx, d->given[F_SEED], d->seed);
	if (!d->given[F_SEED])
		fprintf(stderr, "%s: seed %u\n", ctx->prog, (unsigned)seed);
	nn_rng *rng = NULL;
	int rc = nn_rng_new(&rng, seed);
	if (rc == 0) {
		switch (d->gen) {
		case GEN_BLOBS: rc = nn_make_blobs(&d->X, &d->y, &d->blobs, rng); break;
		case GEN_CIRCLES: rc = nn_make_circles(&d->X, &d->y, &d->circles, rng); break;
		case GEN_MOONS: rc = nn_make_moons(&d->X, &d->y, &d->moons, rng); break;
		default: rc = nn_make_classification(&d->X, &d->y, &d->cls, rng); break;
		}
	}
	if (rc == 0 && d->given[F_TEST]) {
		nn_split_options o = nn_split_defaults();
		o.test_size = d->test.fraction;
		o.test_count = d->test.count;
		rc = nn_train_test_split(&d->parts[0], &d->parts[1], &d->labels[0], &d->labels[1],
					 &d->X, &d->y, &o, rng);
	}
	nn_rng_free(rng);
	if (rc) {
		tool_nn_error(ctx, rc, "%s", gen_names[d->gen]);
		/* a parameter the library refuses is the command line's fault */
		return rc == NN_EINVAL || rc == NN_ESIZE ? TOOL_USAGE : TOOL_RUNTIME;
	}
	return 0;
}

static int save(tool_ctx *ctx, void *state)
{
	struct data *d = state;
	tool_csv_part parts[2] = { { &d->parts[0], &d->labels[0], "train" },
				   { &d->parts[1], &d->labels[1], "test" } };
	if (!d->given[F_TEST])
		parts[0] = (tool_csv_part){ &d->X, &d->y, NULL };
	return tool_save_csv(ctx, d->out, parts, d->given[F_TEST] ? 2 : 1);
}

static void done(void *state)
{
	struct data *d = state;
	nn_matrix_free(&d->X);
	nn_labels_free(&d->y);
	for (int p = 0; p < 2; p++) {
		nn_matrix_free(&d->parts[p]);
		nn_labels_free(&d->labels[p]);
	}
}

int main(int argc, char **argv)
{
	static const tool_phase phases[] = { parse, make, save };
	struct data d = { 0 };
	return tool_main("nn-data", argc, argv, phases, 3, &d, done);
}
