/* cuda_runtime.h for the CPU emulation of CUDA: see ../cuda_emu.h */
#include "../cuda_emu.h"
