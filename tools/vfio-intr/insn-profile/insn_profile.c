// SPDX-License-Identifier: GPL-2.0
/*
 * insn_profile: a QEMU TCG plugin counting the guest instructions each
 * translation block executes, per guest CPU, while the guest asks for it.
 * scripts/profile.sh ('make profile') loads it into the bench VM.
 *
 * The guest drives it with two instructions that are no-ops on x86:
 *   xchg %bx,%bx (66 87 db)  toggle counting
 *   xchg %cx,%cx (66 87 c9)  end a phase: write its counts, stop counting
 *
 * Guest CPU: with -accel tcg,thread=single QEMU passes callbacks the index
 * of the vCPU that translated the block, not of the one running it (a
 * constant baked into the code), so the plugin reads the running vCPU's
 * GS base instead: in the kernel it is the CPU's per-CPU offset, in user
 * mode the kernel's one is in KERNEL_GS_BASE.  The report numbers CPUs by
 * the order of those offsets, which is the kernel's CPU order.
 *
 * Interrupt windows: with irq_entries=LO-HI (the external vectors' entry
 * stubs, irq_entries_start to spurious_entries_start), a block starting in
 * that range opens a window on its CPU and a block ending in iretq closes
 * it: the instructions of one device interrupt from its IDT entry to its
 * return, counted per CPU and per entry stub (vector).
 *
 * With boot=1 counting starts with the guest's first instruction (the
 * guest then ends the first phase without toggling): what booting costs.
 *
 * Call chains: with callers=ADDR[:ADDR...] (function entry addresses, hex),
 * each entry into one of those functions while counting records its call
 * chain: the return address on the stack, then the frame-pointer chain
 * (the kernel must use frame pointers), up to cdepth=N (default 6) callers.
 * Identical chains are counted together.
 *
 * Output (out=FILE), per phase:
 *   W phase
 *   G slot gs_base windows        one per CPU seen
 *   V slot stub_address windows instructions
 *   tb_address insns execs[slot...] window_execs[slot...]
 *   C count function caller...    one per distinct call chain
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define NR_SLOTS	64
#define NR_WINS		1024
#define HASH_SIZE	(1u << 20)
#define KERNEL_START	0xffff800000000000ull
/* Lowest kernel data address with 5-level paging (the direct map) */
#define KERNEL_DATA	0xff00000000000000ull
#define NR_CALLEES	16
#define MAX_CDEPTH	12
#define CHAIN_HASH	(1u << 16)

struct block {
	uint64_t vaddr;
	uint32_t insns;
	bool irq_entry;
	bool iret;
	bool callee;
	uint64_t execs[NR_SLOTS];
	uint64_t win_execs[NR_SLOTS];
	struct block *next;
};

struct win {
	int slot;
	uint64_t stub;
	uint64_t count;
	uint64_t insns;
};

struct chain {
	uint64_t pc[MAX_CDEPTH + 1];	/* the callee, then its callers */
	uint64_t count;
	struct chain *next;
};

static struct block *blocks[HASH_SIZE];
static struct chain *chains[CHAIN_HASH];
static uint64_t callees[NR_CALLEES];
static int nr_callees, cdepth = 6;
static struct qemu_plugin_register *gs_reg, *kgs_reg, *rsp_reg, *rbp_reg;
static GByteArray *regbuf;
static uint64_t slot_gs[NR_SLOTS];
static int nr_slots;
static uint64_t irq_lo, irq_hi;
static int depth[NR_SLOTS];
static uint64_t nr_windows[NR_SLOTS];
static struct win wins[NR_WINS], *cur_win[NR_SLOTS];
static int nr_wins;
static bool counting;
static int phase;
static FILE *out;

static struct block *block_get(uint64_t vaddr, uint32_t insns)
{
	unsigned int h = ((vaddr * 0x9e3779b97f4a7c15ull) >> 40) % HASH_SIZE;
	struct block *b;

	for (b = blocks[h]; b; b = b->next)
		if (b->vaddr == vaddr && b->insns == insns)
			return b;
	b = calloc(1, sizeof(*b));
	if (!b)
		abort();
	b->vaddr = vaddr;
	b->insns = insns;
	b->next = blocks[h];
	blocks[h] = b;
	return b;
}

/* The slot of the running vCPU, told apart by its GS base */
static int cpu_slot(bool user)
{
	uint64_t gs = 0;
	int i;

	g_byte_array_set_size(regbuf, 0);
	if (qemu_plugin_read_register(user ? kgs_reg : gs_reg, regbuf) >= 8)
		memcpy(&gs, regbuf->data, sizeof(gs));
	for (i = 0; i < nr_slots; i++)
		if (slot_gs[i] == gs)
			return i;
	if (nr_slots == NR_SLOTS)
		return NR_SLOTS - 1;
	slot_gs[nr_slots] = gs;
	return nr_slots++;
}

static struct win *win_get(int slot, uint64_t stub)
{
	int i;

	for (i = 0; i < nr_wins; i++)
		if (wins[i].slot == slot && wins[i].stub == stub)
			return &wins[i];
	if (nr_wins == NR_WINS)
		return &wins[NR_WINS - 1];
	wins[nr_wins].slot = slot;
	wins[nr_wins].stub = stub;
	return &wins[nr_wins++];
}

static uint64_t read_reg64(struct qemu_plugin_register *reg)
{
	uint64_t v = 0;

	g_byte_array_set_size(regbuf, 0);
	if (qemu_plugin_read_register(reg, regbuf) >= 8)
		memcpy(&v, regbuf->data, sizeof(v));
	return v;
}

static bool read_mem64(uint64_t addr, uint64_t *v)
{
	g_byte_array_set_size(regbuf, 0);
	if (addr < KERNEL_DATA || !qemu_plugin_read_memory_vaddr(addr, regbuf, 8) ||
	    regbuf->len < 8)
		return false;
	memcpy(v, regbuf->data, sizeof(*v));
	return true;
}

/*
 * At a function's first instruction the return address is at the stack
 * pointer and the frame pointer is still the caller's: [rbp] is the next
 * frame, [rbp + 8] the caller's return address.
 */
static void chain_record(uint64_t callee)
{
	struct chain key = { .pc = { callee } }, *c;
	uint64_t fp, next, ret, h = callee;
	int i;

	if (read_mem64(read_reg64(rsp_reg), &ret)) {
		key.pc[1] = ret;
		fp = read_reg64(rbp_reg);
		for (i = 2; i <= cdepth && read_mem64(fp + 8, &ret) && ret >= KERNEL_START; i++) {
			key.pc[i] = ret;
			if (!read_mem64(fp, &next) || next <= fp)
				break;
			fp = next;
		}
	}
	for (i = 1; i <= cdepth; i++)
		h = (h ^ key.pc[i]) * 0x9e3779b97f4a7c15ull;
	h = (h >> 40) % CHAIN_HASH;
	for (c = chains[h]; c; c = c->next)
		if (!memcmp(c->pc, key.pc, sizeof(key.pc)))
			break;
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			abort();
		memcpy(c->pc, key.pc, sizeof(key.pc));
		c->next = chains[h];
		chains[h] = c;
	}
	c->count++;
}

static void block_exec(unsigned int vcpu_index, void *udata)
{
	struct block *b = udata;
	int slot;

	if (!counting)
		return;
	slot = cpu_slot(b->vaddr < KERNEL_START);
	b->execs[slot]++;
	if (b->callee)
		chain_record(b->vaddr);
	if (b->irq_entry) {
		if (!depth[slot]) {
			cur_win[slot] = win_get(slot, b->vaddr);
			cur_win[slot]->count++;
		}
		depth[slot]++;
		nr_windows[slot]++;
	}
	if (depth[slot]) {
		b->win_execs[slot]++;
		cur_win[slot]->insns += b->insns;
		if (b->iret)
			depth[slot]--;
	}
}

static void phase_dump(void)
{
	unsigned int h;
	struct block *b;
	int i, any;

	fprintf(out, "W %d\n", phase++);
	for (i = 0; i < nr_slots; i++)
		fprintf(out, "G %d %llx %llu\n", i, (unsigned long long)slot_gs[i],
			(unsigned long long)nr_windows[i]);
	for (i = 0; i < nr_wins; i++)
		fprintf(out, "V %d %llx %llu %llu\n", wins[i].slot,
			(unsigned long long)wins[i].stub, (unsigned long long)wins[i].count,
			(unsigned long long)wins[i].insns);
	for (h = 0; h < HASH_SIZE; h++) {
		for (b = blocks[h]; b; b = b->next) {
			for (i = any = 0; i < nr_slots; i++)
				any |= b->execs[i] != 0;
			if (!any)
				continue;
			fprintf(out, "%llx %u", (unsigned long long)b->vaddr, b->insns);
			for (i = 0; i < nr_slots; i++)
				fprintf(out, " %llu", (unsigned long long)b->execs[i]);
			for (i = 0; i < nr_slots; i++)
				fprintf(out, " %llu", (unsigned long long)b->win_execs[i]);
			fputc('\n', out);
			memset(b->execs, 0, sizeof(b->execs));
			memset(b->win_execs, 0, sizeof(b->win_execs));
		}
	}
	for (h = 0; h < CHAIN_HASH; h++) {
		struct chain *c, *next;

		for (c = chains[h]; c; c = next) {
			next = c->next;
			fprintf(out, "C %llu", (unsigned long long)c->count);
			for (i = 0; i <= cdepth && c->pc[i]; i++)
				fprintf(out, " %llx", (unsigned long long)c->pc[i]);
			fputc('\n', out);
			free(c);
		}
		chains[h] = NULL;
	}
	fflush(out);
	memset(nr_windows, 0, sizeof(nr_windows));
	memset(depth, 0, sizeof(depth));
	memset(wins, 0, sizeof(wins));
	nr_wins = 0;
}

static void marker_toggle(unsigned int vcpu_index, void *udata)
{
	counting = !counting;
}

static void marker_phase(unsigned int vcpu_index, void *udata)
{
	phase_dump();
	counting = false;
}

static bool insn_is(struct qemu_plugin_insn *insn, const unsigned char *bytes, size_t len)
{
	unsigned char buf[4];

	return qemu_plugin_insn_size(insn) == len &&
	       qemu_plugin_insn_data(insn, buf, len) == len && !memcmp(buf, bytes, len);
}

static void block_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	static const unsigned char toggle[] = { 0x66, 0x87, 0xdb };
	static const unsigned char end[] = { 0x66, 0x87, 0xc9 };
	static const unsigned char iretq[] = { 0x48, 0xcf };
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	struct block *b = block_get(vaddr, n);

	b->irq_entry = vaddr >= irq_lo && vaddr < irq_hi;
	for (i = 0; i < (size_t)nr_callees; i++)
		b->callee |= callees[i] == vaddr;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, block_exec, QEMU_PLUGIN_CB_R_REGS, b);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (insn_is(insn, iretq, sizeof(iretq)))
			b->iret = true;
		else if (insn_is(insn, toggle, sizeof(toggle)))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, marker_toggle,
							       QEMU_PLUGIN_CB_NO_REGS, NULL);
		else if (insn_is(insn, end, sizeof(end)))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, marker_phase,
							       QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void vcpu_init(qemu_plugin_id_t id, unsigned int vcpu_index)
{
	GArray *regs;
	unsigned int i;

	if (gs_reg)
		return;
	regs = qemu_plugin_get_registers();
	for (i = 0; i < regs->len; i++) {
		qemu_plugin_reg_descriptor *d = &((qemu_plugin_reg_descriptor *)regs->data)[i];

		if (!strcmp(d->name, "gs_base"))
			gs_reg = d->handle;
		else if (!strcmp(d->name, "k_gs_base"))
			kgs_reg = d->handle;
		else if (!strcmp(d->name, "rsp"))
			rsp_reg = d->handle;
		else if (!strcmp(d->name, "rbp"))
			rbp_reg = d->handle;
	}
	g_array_free(regs, true);
	if (!gs_reg || !kgs_reg || !rsp_reg || !rbp_reg) {
		fprintf(stderr, "insn_profile: this CPU model has no gs_base/k_gs_base/rsp/rbp\n");
		exit(1);
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	char *end;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			path = argv[i] + 4;
		} else if (!strncmp(argv[i], "irq_entries=", 12)) {
			irq_lo = strtoull(argv[i] + 12, &end, 16);
			if (*end == '-')
				irq_hi = strtoull(end + 1, NULL, 16);
		} else if (!strcmp(argv[i], "boot=1")) {
			counting = true;
		} else if (!strncmp(argv[i], "callers=", 8)) {
			end = argv[i] + 7;
			while (*end && nr_callees < NR_CALLEES)
				callees[nr_callees++] = strtoull(end + 1, &end, 16);
		} else if (!strncmp(argv[i], "cdepth=", 7)) {
			cdepth = atoi(argv[i] + 7);
			if (cdepth < 1 || cdepth > MAX_CDEPTH)
				cdepth = MAX_CDEPTH;
		}
	}
	if (!path || strcmp(info->target_name, "x86_64")) {
		fprintf(stderr, "insn_profile: needs out=FILE and an x86_64 guest\n");
		return -1;
	}
	out = fopen(path, "w");
	if (!out)
		return -1;
	regbuf = g_byte_array_new();
	qemu_plugin_register_vcpu_init_cb(id, vcpu_init);
	qemu_plugin_register_vcpu_tb_trans_cb(id, block_trans);
	return 0;
}
