/*
 * Messages for the NN_E codes of common.h, and the detail of the last
 * error of each thread: a function that can say more than its code (which
 * argument, both shapes, the value and the rule it broke) records it with
 * nn__errorf() as it returns the code.
 */
#include <stdarg.h>
#include <stdio.h>

#include "nn/common.h"
#include "nn_internal.h"

static _Thread_local char detail[512];
static _Thread_local int detail_code; /* the code the detail goes with */

NN_EXPORT const char *nn_strerror(int code)
{
	switch (code) {
	case NN_OK: return "success";
	case NN_EINVAL: return "invalid argument";
	case NN_ENOMEM: return "out of memory";
	case NN_ESHAPE: return "matrix shapes do not agree";
	case NN_ENULL: return "a required pointer is NULL";
	case NN_ENONFINITE: return "input holds NaN or Inf";
	case NN_ELABEL: return "label out of range for the output layer";
	case NN_EDIVERGED: return "training diverged: the cost became NaN or Inf";
	case NN_EIO: return "input/output error";
	case NN_ENOENT: return "no such file or directory";
	case NN_EMAGIC: return "wrong magic number: not a file of the expected kind";
	case NN_ETRUNC: return "file truncated: it holds less data than its header announces";
	case NN_ESIZE: return "size is zero, absurd or overflows";
	case NN_EMISMATCH: return "inputs do not agree (e.g. image and label counts differ)";
	case NN_EGZIP: return "corrupt gzip stream";
	case NN_EFORMAT: return "malformed file";
	case NN_EPICKLE: return "unsupported pickle content (opcode, global or object)";
	case NN_ESTACK: return "malformed pickle: unbalanced stack or mark";
	case NN_EVERSION: return "unknown file format version";
	case NN_ECHECKSUM: return "checksum mismatch: the file is corrupt";
	case NN_EPEER: return "another process of the distributed run failed";
	case NN_ENOTFILE: return "not a regular file (a directory, FIFO, socket or device)";
	default: return "unknown error";
	}
}

int nn__errorf(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	detail_code = code;
	return code;
}

void nn__clear_error(void)
{
	detail[0] = '\0';
}

NN_EXPORT const char *nn_last_error(void)
{
	return detail;
}

NN_EXPORT const char *nn_error_message(int code)
{
	return detail[0] && detail_code == code ? detail : nn_strerror(code);
}
