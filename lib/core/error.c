/* Messages for the NN_E codes of common.h. */
#include "nn/common.h"

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
	default: return "unknown error";
	}
}
