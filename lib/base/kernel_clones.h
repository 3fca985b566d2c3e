// NAZIR_KERNEL_CLONES: compile a hot kernel for AVX-512 (x86-64-v4), AVX2 and
// the baseline, the best one picked at load time (an ifunc). Only for plain
// integer code whose outputs do not depend on the choice (golden tests pin
// them; this machine runs the AVX-512 clone). Private to lib/.
#ifndef NAZIR_BASE_KERNEL_CLONES_H_
#define NAZIR_BASE_KERNEL_CLONES_H_

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NAZIR_KERNEL_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define NAZIR_KERNEL_CLONES
#endif

#endif  // NAZIR_BASE_KERNEL_CLONES_H_
