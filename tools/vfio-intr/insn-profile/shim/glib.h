/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few glib declarations qemu-plugin.h and insn_profile.c need, so the
 * plugin builds without glib's headers: QEMU itself has glib loaded, and the
 * plugin's references resolve against it when QEMU loads the plugin.
 */
#ifndef INSN_PROFILE_GLIB_SHIM_H
#define INSN_PROFILE_GLIB_SHIM_H

#include <stdbool.h>

typedef struct _GArray {
	char *data;
	unsigned int len;
} GArray;

typedef struct _GByteArray {
	unsigned char *data;
	unsigned int len;
} GByteArray;

GByteArray *g_byte_array_new(void);
GByteArray *g_byte_array_set_size(GByteArray *array, unsigned int length);
char *g_array_free(GArray *array, int free_segment);

#endif
