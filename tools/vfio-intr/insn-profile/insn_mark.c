// SPDX-License-Identifier: GPL-2.0
/*
 * insn_mark: the guest side of the insn_profile plugin for 'make
 * profile-check'.  "insn_mark start" starts counting, "insn_mark end" ends
 * the phase (its counts are written, counting stops).  Both are x86
 * instructions that do nothing on a guest without the plugin.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "start")) {
		asm volatile(".byte 0x66, 0x87, 0xdb");	/* xchg %bx,%bx: toggle */
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "end")) {
		asm volatile(".byte 0x66, 0x87, 0xc9");	/* xchg %cx,%cx: end phase */
		return 0;
	}
	fprintf(stderr, "usage: %s start|end\n", argv[0]);
	return 2;
}
