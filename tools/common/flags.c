/*
 * The one flag parser of the programs: "--flag value", "--flag=value" and
 * short flags such as "-o value", typed values checked as they are read,
 * and --help and --version for every program.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* An unsigned decimal integer, the whole string, no sign or space. */
static int parse_uint(const char *s, unsigned long long *out)
{
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

/* A number, the whole string, no leading space. */
static int parse_double(const char *s, double *out)
{
	if (!*s || *s == ' ' || *s == '\t')
		return -1;
	char *end;
	double v = strtod(s, &end);
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int size_value(tool_ctx *ctx, const tool_flag *f, const char *v)
{
	unsigned long long u;
	double d;
	size_t max = f->max ? f->max : SIZE_MAX;
	if (*v == '-' && parse_double(v, &d) == 0) {
		tool_error(ctx, "%s: '%s' is negative; give an integer from %zu to %zu", f->name, v,
			   f->min, max);
		return TOOL_USAGE;
	}
	if (parse_uint(v, &u) != 0) {
		tool_error(ctx, "%s: '%s' is not a whole number", f->name, v);
		return TOOL_USAGE;
	}
	if (u < f->min || u > max) {
		tool_error(ctx, "%s: %s is out of range; give an integer from %zu to %zu", f->name, v,
			   f->min, max);
		return TOOL_USAGE;
	}
	*(size_t *)f->value = (size_t)u;
	return 0;
}

static int double_value(tool_ctx *ctx, const tool_flag *f, const char *v)
{
	double d;
	if (parse_double(v, &d) != 0) {
		tool_error(ctx, "%s: '%s' is not a number", f->name, v);
		return TOOL_USAGE;
	}
	if (!isfinite(d)) {
		tool_error(ctx, "%s: %s is not finite", f->name, v);
		return TOOL_USAGE;
	}
	if (f->kind == TOOL_POS ? !(d > 0) : !(d >= 0)) {
		tool_error(ctx, "%s: %s is out of range; it must be %s", f->name, v,
			   f->kind == TOOL_POS ? "greater than 0" : "0 or more");
		return TOOL_USAGE;
	}
	*(double *)f->value = d;
	return 0;
}

static int range_value(tool_ctx *ctx, const tool_flag *f, const char *v)
{
	const char *comma = strchr(v, ',');
	char lo[64];
	double r[2];
	size_t n = comma ? (size_t)(comma - v) : 0;
	if (!comma || n >= sizeof(lo)) {
		tool_error(ctx, "%s: '%s' is not LO,HI", f->name, v);
		return TOOL_USAGE;
	}
	memcpy(lo, v, n);
	lo[n] = '\0';
	if (parse_double(lo, &r[0]) != 0 || parse_double(comma + 1, &r[1]) != 0) {
		tool_error(ctx, "%s: '%s' is not LO,HI (two numbers)", f->name, v);
		return TOOL_USAGE;
	}
	if (!isfinite(r[0]) || !isfinite(r[1]) || !(r[0] < r[1])) {
		tool_error(ctx, "%s: %s is not a finite range with LO < HI", f->name, v);
		return TOOL_USAGE;
	}
	memcpy(f->value, r, sizeof(r));
	return 0;
}

/* A fraction in (0, 1) ("0.2") or, written as an integer, a count ("100"),
 * as scikit-learn's test_size takes it. */
static int part_value(tool_ctx *ctx, const tool_flag *f, const char *v)
{
	unsigned long long u;
	double d;
	size_t min = f->min ? f->min : 1, max = f->max ? f->max : SIZE_MAX;
	tool_part *p = f->value;
	if (parse_uint(v, &u) == 0 && u >= min && u <= max) {
		*p = (tool_part){ .count = (size_t)u, .text = v };
		return 0;
	}
	if (strspn(v, "0123456789") != strlen(v) && parse_double(v, &d) == 0 && d > 0 && d < 1) {
		*p = (tool_part){ .fraction = d, .text = v };
		return 0;
	}
	tool_error(ctx, "%s: '%s' is neither a fraction between 0 and 1 nor a number of samples "
		   "from %zu to %zu", f->name, v, min, max);
	return TOOL_USAGE;
}

static int choice_value(tool_ctx *ctx, const tool_flag *f, const char *v)
{
	char list[256] = "";
	size_t k = 0;
	for (int i = 0; f->choices[i]; i++) {
		if (strcmp(v, f->choices[i]) == 0) {
			*(int *)f->value = i;
			return 0;
		}
		k += (size_t)snprintf(list + k, k < sizeof(list) ? sizeof(list) - k : 0, "%s %s",
				      i ? "," : "", f->choices[i]);
	}
	tool_error(ctx, "%s: unknown value '%s'; choose one of%s", f->name, v, list);
	return TOOL_USAGE;
}

/* Store the value of one flag; on error say so and return TOOL_USAGE. */
static int set_value(tool_ctx *ctx, const tool_flag *f, const char *v)
{
	unsigned long long u;
	switch (f->kind) {
	case TOOL_SIZE:
		return size_value(ctx, f, v);
	case TOOL_U32:
		if (parse_uint(v, &u) != 0 || u > UINT32_MAX) {
			tool_error(ctx, "%s: '%s' is not an integer from 0 to 4294967295", f->name, v);
			return TOOL_USAGE;
		}
		*(uint32_t *)f->value = (uint32_t)u;
		return 0;
	case TOOL_POS:
	case TOOL_NONNEG:
		return double_value(ctx, f, v);
	case TOOL_RANGE:
		return range_value(ctx, f, v);
	case TOOL_PART:
		return part_value(ctx, f, v);
	case TOOL_CHOICE:
		return choice_value(ctx, f, v);
	case TOOL_SWITCH: /* tool_parse() takes it without a value */
		break;
	case TOOL_STRING:
	case TOOL_STRINGS:
		if (!*v) {
			tool_error(ctx, "%s: empty value", f->name);
			return TOOL_USAGE;
		}
		if (f->kind == TOOL_STRING) {
			*(const char **)f->value = v;
			return 0;
		}
		tool_strings *list = f->value;
		if (list->n == TOOL_MAX_REPEAT) {
			tool_error(ctx, "%s: given more than %d times", f->name, TOOL_MAX_REPEAT);
			return TOOL_USAGE;
		}
		list->v[list->n++] = v;
		return 0;
	}
	return TOOL_USAGE;
}

/* The flag arg names ("--eta" or "--eta=..."; a short flag whole), or NULL. */
static const tool_flag *find_flag(const tool_cli *cli, const char *arg, const char **inline_value)
{
	const char *eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	*inline_value = eq ? eq + 1 : NULL;
	for (size_t k = 0; k < cli->n_flags; k++)
		if (strlen(cli->flags[k].name) == len && strncmp(cli->flags[k].name, arg, len) == 0)
			return &cli->flags[k];
	return NULL;
}

int tool_parse(tool_ctx *ctx, tool_cli *cli)
{
	cli->n_operands = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *arg = ctx->argv[i], *v;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(cli->usage, stdout);
			return TOOL_DONE;
		}
		if (strcmp(arg, "--version") == 0) {
			/* the headers it was built with, then the library it runs with */
			printf("%s (nn) %d.%d.%d\nlibnn %s\n", ctx->prog, NN_VERSION_MAJOR,
			       NN_VERSION_MINOR, NN_VERSION_PATCH, nn_version());
			return TOOL_DONE;
		}
		if (arg[0] != '-' || !arg[1] || (arg[1] == '-' && !arg[2])) {
			if (cli->n_operands == cli->max_operands) {
				tool_error(ctx, "unexpected argument '%s' (see --help)", arg);
				return TOOL_USAGE;
			}
			cli->operands[cli->n_operands++] = arg;
			continue;
		}
		const tool_flag *f = find_flag(cli, arg, &v);
		if (!f) {
			tool_error(ctx, "unknown option '%.*s' (see --help)",
				   (int)(v ? (size_t)(v - 1 - arg) : strlen(arg)), arg);
			return TOOL_USAGE;
		}
		if (f->given && *f->given && f->kind != TOOL_STRINGS) {
			tool_error(ctx, "%s: given twice", f->name);
			return TOOL_USAGE;
		}
		if (f->kind == TOOL_SWITCH) {
			if (v) {
				tool_error(ctx, "%s: takes no value", f->name);
				return TOOL_USAGE;
			}
			*(int *)f->value = 1;
			if (f->given)
				*f->given = 1;
			continue;
		}
		if (!v) {
			if (i + 1 >= ctx->argc) {
				tool_error(ctx, "%s: missing value", f->name);
				return TOOL_USAGE;
			}
			v = ctx->argv[++i];
		}
		int rc = set_value(ctx, f, v);
		if (rc)
			return rc;
		if (f->given)
			*f->given = 1;
	}
	return TOOL_OK;
}

const char *tool_first_given(const tool_flag *flags, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (flags[i].given && *flags[i].given)
			return flags[i].name;
	return NULL;
}
