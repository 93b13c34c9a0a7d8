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
 * Output (out=FILE), per phase:
 *   W phase
 *   G slot gs_base windows        one per CPU seen
 *   V slot stub_address windows instructions
 *   tb_address insns execs[slot...] window_execs[slot...]
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

struct block {
	uint64_t vaddr;
	uint32_t insns;
	bool irq_entry;
	bool iret;
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

static struct block *blocks[HASH_SIZE];
static struct qemu_plugin_register *gs_reg, *kgs_reg;
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

static void block_exec(unsigned int vcpu_index, void *udata)
{
	struct block *b = udata;
	int slot;

	if (!counting)
		return;
	slot = cpu_slot(b->vaddr < KERNEL_START);
	b->execs[slot]++;
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
	}
	g_array_free(regs, true);
	if (!gs_reg || !kgs_reg) {
		fprintf(stderr, "insn_profile: this CPU model has no gs_base/k_gs_base\n");
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
