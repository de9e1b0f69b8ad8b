/*
 * Networks as text: nn_net_parse() reads the description the programs'
 * --layers takes ("28x28, conv:32:3:relu, maxpool:2, flatten, 10:softmax")
 * and nn_net_describe() writes one that reads back to the same network.
 * The grammar is in net.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/net.h"
#include "nn_internal.h"

static const struct {
	const char *name;
	nn_activation act;
} act_names[] = {
	{ "sigmoid", NN_ACT_SIGMOID }, { "identity", NN_ACT_IDENTITY }, { "linear", NN_ACT_IDENTITY },
	{ "tanh", NN_ACT_TANH },       { "relu", NN_ACT_RELU },         { "leaky-relu", NN_ACT_LEAKY_RELU },
	{ "leaky_relu", NN_ACT_LEAKY_RELU }, { "softmax", NN_ACT_SOFTMAX },
};

static const char *act_name(nn_activation a)
{
	for (size_t i = 0; i < sizeof(act_names) / sizeof(act_names[0]); i++)
		if (act_names[i].act == a)
			return act_names[i].name;
	return "?";
}

static int parse_act(nn_activation *a, const char *s)
{
	for (size_t i = 0; i < sizeof(act_names) / sizeof(act_names[0]); i++)
		if (!strcmp(s, act_names[i].name)) {
			*a = act_names[i].act;
			return 1;
		}
	return 0;
}

/* A whole positive integer, at most max; 0 when s is not one. */
static size_t parse_size(const char *s, size_t max)
{
	if (!s || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	return *end || errno || v > max ? 0 : (size_t)v;
}

/*
 * s cut at every sep into f[0..n), empty fields kept (so "784,,10" and
 * "conv::3" are seen, not silently read as "784,10" and "conv:3"). Returns
 * n, or max + 1 when there are more than max fields.
 */
static size_t split(char *s, char sep, char **f, size_t max)
{
	size_t n = 0;
	for (;;) {
		if (n == max)
			return max + 1;
		f[n++] = s;
		char *at = strchr(s, sep);
		if (!at)
			return n;
		*at = '\0';
		s = at + 1;
	}
}

/* s without its leading and trailing blanks (in place). */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* The input: "784", "28x28" or "28x28x3" (height x width [x channels]). */
static int parse_input(nn_shape *in, char *item)
{
	size_t v[3] = { 0, 1, 1 };
	char *f[3];
	size_t n = split(item, 'x', f, 3);
	for (size_t i = 0; i < n; i++)
		if (n > 3 || !(v[i] = parse_size(f[i], 1u << 30)))
			return 0;
	*in = n == 1 ? (nn_shape){ v[0], 1, 1 } : (nn_shape){ n == 3 ? v[2] : 1, v[0], v[1] };
	return 1;
}

/*
 * One layer item, split at ':' into f[0..nf). A missing activation is left
 * as NN_ACT_COUNT_ for the caller to fill in. 0 or a detail.
 */
static int parse_layer(nn_layer *ly, char **f, size_t nf, size_t index)
{
	*ly = (nn_layer){ .type = NN_LAYER_DENSE, .act = NN_ACT_COUNT_ };
	size_t first = 1; /* the fields after the kind */
	if (parse_size(f[0], 1u << 30)) { /* "256" or "256:relu" */
		ly->units = parse_size(f[0], 1u << 30);
	} else if (!strcmp(f[0], "dense")) {
		if (nf < 2 || !(ly->units = parse_size(f[1], 1u << 30)))
			return nn__errorf(NN_EINVAL, "layer %zu: dense needs its units: dense:N", index);
		first = 2;
	} else if (!strcmp(f[0], "conv")) {
		ly->type = NN_LAYER_CONV2D;
		if (nf < 3 || !(ly->units = parse_size(f[1], 1u << 30)))
			return nn__errorf(NN_EINVAL, "layer %zu: conv needs channels and a kernel: "
					  "conv:C:K, e.g. conv:32:3", index);
		char *x = strchr(f[2], 'x'); /* "3x3": square kernels only */
		if (x) {
			*x = '\0';
			if (strcmp(f[2], x + 1))
				return nn__errorf(NN_EINVAL, "layer %zu: kernel %sx%s: only square "
						  "kernels (KxK)", index, f[2], x + 1);
		}
		if (!(ly->kernel = parse_size(f[2], 1u << 20)))
			return nn__errorf(NN_EINVAL, "layer %zu: kernel '%s' is not a size", index, f[2]);
		first = 3;
	} else if (!strcmp(f[0], "maxpool") || !strcmp(f[0], "avgpool") || !strcmp(f[0], "pool")) {
		ly->type = f[0][0] == 'a' ? NN_LAYER_AVGPOOL : NN_LAYER_MAXPOOL;
		if (nf > 2 || (nf == 2 && !(ly->kernel = parse_size(f[1], 1u << 20))))
			return nn__errorf(NN_EINVAL, "layer %zu: pooling takes one window size: %s:2",
					  index, f[0]);
		return 0;
	} else if (!strcmp(f[0], "flatten")) {
		ly->type = NN_LAYER_FLATTEN;
		return nf == 1 ? 0 : nn__errorf(NN_EINVAL, "layer %zu: flatten takes nothing", index);
	} else if (!strcmp(f[0], "dropout")) {
		ly->type = NN_LAYER_DROPOUT;
		char *end = NULL;
		if (nf == 2)
			ly->rate = strtod(f[1], &end);
		if (nf != 2 || end == f[1] || *end || !(ly->rate >= 0 && ly->rate < 1))
			return nn__errorf(NN_EINVAL, "layer %zu: dropout takes a rate in [0, 1): "
					  "dropout:0.5", index);
		return 0;
	} else {
		return nn__errorf(NN_EINVAL, "layer %zu: '%s' is not a layer (a width, dense, conv, "
				  "maxpool, avgpool, flatten or dropout)", index, f[0]);
	}
	for (size_t i = first; i < nf; i++) {
		nn_activation a;
		if (parse_act(&a, f[i]) && ly->act == NN_ACT_COUNT_)
			ly->act = a;
		else if (ly->type == NN_LAYER_CONV2D && !strcmp(f[i], "same"))
			ly->padding = NN_PADDING_SAME;
		else if (ly->type == NN_LAYER_CONV2D && !strcmp(f[i], "valid"))
			ly->padding = NN_PADDING_VALID;
		else if (ly->type == NN_LAYER_CONV2D && f[i][0] == 's' && parse_size(f[i] + 1, 2))
			ly->stride = parse_size(f[i] + 1, 2);
		else
			return nn__errorf(NN_EINVAL, "layer %zu: '%s' is not %s", index, f[i],
					  ly->type == NN_LAYER_CONV2D
						  ? "an activation, s1, s2, same or valid"
						  : "an activation (sigmoid, tanh, relu, leaky-relu, "
						    "identity, softmax)");
	}
	return 0;
}

NN_EXPORT int nn_net_parse(nn_net **out, const char *spec, nn_activation hidden,
			   nn_activation output)
{
	nn__clear_error();
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (!spec)
		return NN_ENULL;
	size_t len = strlen(spec), n = 0;
	char *text = malloc(len + 1), **items = malloc((len + 2) * sizeof(*items));
	nn_layer *layers = malloc((len + 2) * sizeof(*layers));
	nn_shape in = { 0, 0, 0 };
	int rc = NN_ENOMEM;
	if (!text || !items || !layers)
		goto out;
	memcpy(text, spec, len + 1);
	/* items: cut at commas when there are any (an empty item is an error),
	 * else at runs of blanks */
	if (strchr(text, ',')) {
		n = split(text, ',', items, len + 1);
		for (size_t i = 0; i < n; i++)
			if (!*(items[i] = trim(items[i]))) {
				rc = nn__errorf(NN_EINVAL, "'%s': item %zu is empty (two commas in a "
						"row, or one at an end)", spec, i + 1);
				goto out;
			}
	} else {
		char *save = NULL;
		for (char *p = strtok_r(text, " \t\n", &save); p; p = strtok_r(NULL, " \t\n", &save))
			items[n++] = p;
	}
	rc = NN_EINVAL;
	if (n < 2) {
		rc = nn__errorf(NN_EINVAL, "'%s': give the input and at least one layer, e.g. "
				"784,30,10", spec);
		goto out;
	}
	char input[64];
	snprintf(input, sizeof(input), "%s", items[0]);
	if (!parse_input(&in, items[0])) {
		rc = nn__errorf(NN_EINVAL, "the input '%s' is not N, HxW or HxWxC", input);
		goto out;
	}
	for (size_t i = 1; i < n; i++) {
		enum { MAX_FIELDS = 8 };
		char *f[MAX_FIELDS], item[64];
		snprintf(item, sizeof(item), "%s", items[i]);
		size_t nf = split(items[i], ':', f, MAX_FIELDS);
		for (size_t k = 0; k < nf && nf <= MAX_FIELDS; k++)
			if (!*f[k])
				nf = MAX_FIELDS + 2;
		if (nf > MAX_FIELDS) {
			rc = nn__errorf(NN_EINVAL, "layer %zu: '%s' has %s", i, item,
					nf == MAX_FIELDS + 1 ? "too many fields" : "an empty field");
			goto out;
		}
		if ((rc = parse_layer(&layers[i - 1], f, nf, i)))
			goto out;
		if (layers[i - 1].act == NN_ACT_COUNT_)
			layers[i - 1].act = i + 1 == n ? output : hidden;
	}
	rc = nn_net_new_layers(out, in, n - 1, layers);
out:
	free(text);
	free(items);
	free(layers);
	return rc;
}

NN_EXPORT size_t nn_net_describe(char *buf, size_t n, const nn_net *net)
{
	if (!net)
		return (size_t)snprintf(buf, n, "%s", "");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return 0;
	nn_shape in = net->layer[0].in;
	if (in.height == 1 && in.width == 1)
		fprintf(f, "%zu", in.channels);
	else if (in.channels == 1)
		fprintf(f, "%zux%zu", in.height, in.width);
	else
		fprintf(f, "%zux%zux%zu", in.height, in.width, in.channels);
	for (size_t l = 0; l < net->n_layers; l++) {
		const nn__layer *L = &net->layer[l];
		switch (L->type) {
		case NN_LAYER_DENSE:
			fprintf(f, ", %zu:%s", L->out.channels, act_name(L->act));
			break;
		case NN_LAYER_CONV2D:
			fprintf(f, ", conv:%zu:%zu%s%s:%s", L->out.channels, L->k,
				L->stride == 2 ? ":s2" : "", L->padding == NN_PADDING_SAME ? ":same" : "",
				act_name(L->act));
			break;
		case NN_LAYER_MAXPOOL:
		case NN_LAYER_AVGPOOL:
			fprintf(f, ", %s:%zu", L->type == NN_LAYER_MAXPOOL ? "maxpool" : "avgpool", L->k);
			break;
		case NN_LAYER_FLATTEN:
			fprintf(f, ", flatten");
			break;
		case NN_LAYER_DROPOUT:
			fprintf(f, ", dropout:%g", L->rate);
			break;
		default:
			break;
		}
	}
	size_t total = fclose(f) == 0 ? len : 0;
	if (n) {
		size_t k = total < n - 1 ? total : n - 1;
		if (text)
			memcpy(buf, text, k);
		buf[k] = '\0';
	}
	free(text);
	return total;
}
