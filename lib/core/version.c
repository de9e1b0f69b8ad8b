/* The library's version, from the generated version.h (meson.build's). */
#include "nn/version.h"

NN_EXPORT const char *nn_version(void)
{
	return NN_VERSION_STRING;
}
