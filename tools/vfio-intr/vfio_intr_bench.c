// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_intr_bench - what 'make bench' measures inside the guest, the same
 * binary on our kernel and on upstream 7.3 (the uAPI is unchanged).
 *
 *   vfio_intr_bench igb IGB_BDF    igb (8086:10c9) MSI-X rows, any kernel
 *   vfio_intr_bench ims EDU_BDF IGB_BDF
 *                                  IMS rows: edu bound to vfio-siov-edu and
 *                                  its virtual devices (docs/siov-edu.rst)
 *
 * The VM runs with -icount shift=0,sleep=off: one nanosecond of guest time is
 * one executed instruction, and when every vCPU is idle the clock jumps to
 * the next timer.  Two ways to count work follow from that:
 *
 *   wall  CLOCK_MONOTONIC; only for loops that never leave every CPU idle
 *         while waiting (nothing in them waits for a device timer);
 *   busy  wall - idle of one CPU, idle from /proc/stat: the instructions
 *         that CPU executed, whatever waited for what (the IMS interrupt,
 *         which edu's DMA engine sends ~100 ms of virtual time after the
 *         doorbell).  The kernel measures idle periods only when the tick
 *         stops in idle (CONFIG_NO_HZ_IDLE, configs/base.config; else it
 *         samples them at each tick), and counts an interrupt taken while
 *         idle as busy only with CONFIG_IRQ_TIME_ACCOUNTING
 *         (configs/bench/bench.config); the program waits for the first and
 *         reports the second.  /proc/stat has a 10 ms resolution, so the
 *         error of a busy row is 10 ms divided by its iterations (printed).
 *         The "busy" in the notes of the igb rows is the sum over CPUs
 *         (/proc/uptime), a cross-check of wall within 20 ms / iterations.
 *
 * Output, one line per measurement, parsed by scripts/bench-table.py:
 *
 *   bench KEY VALUE UNIT [note]
 *
 * VALUE "n/a" when the kernel cannot do it (the note says why).  Failures of
 * the device or the uAPI that must not happen abort with a message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#include <linux/io.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>
#include <libvfio/igb.h>
#include <libvfio/siov_edu.h>

#define MSIX			VFIO_PCI_MSIX_IRQ_INDEX
#define WAIT_MS			1000	/* an interrupt that must come */

static int iterations = 100000;
/* The IMS busy row: its error is 10 ms / iterations, so many of them. */
static int ims_iterations = 50000;

/* ---- output ---------------------------------------------------------- */

static void row(const char *key, double value, const char *unit, const char *fmt, ...)
{
	va_list ap;

	printf("bench %s %.1f %s", key, value, unit);
	if (fmt) {
		putchar(' ');
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
	fflush(stdout);
}

static void row_na(const char *key, const char *why)
{
	printf("bench %s n/a - %s\n", key, why);
	fflush(stdout);
}

/* ---- time ------------------------------------------------------------ */

struct snap {
	u64 wall;	/* ns of CLOCK_MONOTONIC */
	u64 idle;	/* ns of idle summed over CPUs, 10 ms resolution */
};

static int ncpus;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void snap(struct snap *s)
{
	unsigned long up_s, up_cs, idle_s, idle_cs;
	FILE *f = fopen("/proc/uptime", "r");
	int n;

	VFIO_ASSERT_NOT_NULL(f);
	n = fscanf(f, "%lu.%lu %lu.%lu", &up_s, &up_cs, &idle_s, &idle_cs);
	VFIO_ASSERT_EQ(n, 4);
	fclose(f);
	s->idle = idle_s * 1000000000ull + idle_cs * 10000000ull;
	s->wall = now_ns();
}

/* Instructions executed on all CPUs between @a and @b. */
static double busy_ns(const struct snap *a, const struct snap *b)
{
	return (double)ncpus * (b->wall - a->wall) - (double)(b->idle - a->idle);
}

/* How many CPUs are tickless when idle (".nohz : 1" in /proc/timer_list) */
static int nohz_cpus(void)
{
	char line[256];
	int n = 0, v;
	FILE *f = fopen("/proc/timer_list", "r");

	VFIO_ASSERT_NOT_NULL(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " .nohz : %d", &v) == 1 && v == 1)
			n++;
	fclose(f);
	return n;
}

/*
 * The busy rows need idle time measured, which the kernel does only once
 * the tick is off in idle, and that needs a clocksource good for high
 * resolution: the boot's "tsc-early" is not, "tsc" is, and replaces it
 * about a second of guest time after the TSC refinement starts, which a
 * non-debug kernel's init can beat.  Wait for every CPU to be tickless
 * (idle waits are skipped by -icount, so this costs the host little).
 */
static void wait_for_nohz(void)
{
	unsigned long long irq;
	char cs[64] = "?";
	int i, n = 0;
	FILE *f;

	for (i = 0; i < 600 && (n = nohz_cpus()) < ncpus; i++)
		usleep(100000);
	f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
	if (f) {
		if (fscanf(f, "%63s", cs) != 1)
			strcpy(cs, "?");
		fclose(f);
	}
	printf("# clocksource %s, %d of %d CPUs tickless when idle after %.1f s%s\n", cs, n,
	       ncpus, i / 10.0,
	       n == ncpus ? "" : " (idle time sampled by the tick: busy rows are wrong)");
	/* /proc/stat's irq field stays 0 without IRQ_TIME_ACCOUNTING */
	f = fopen("/proc/stat", "r");
	VFIO_ASSERT_NOT_NULL(f);
	if (fscanf(f, "cpu %*u %*u %*u %*u %*u %llu", &irq) != 1)
		irq = 0;
	fclose(f);
	printf("# hardirq time %s\n", irq ? "accounted (busy rows include handlers on idle CPUs)" :
	       "not accounted: busy rows miss handlers that run on idle CPUs");
}

/*
 * Idle ns of CPU @cpu from /proc/stat (idle + iowait), exact but shown in
 * USER_HZ ticks: a difference of two is within 10 ms.
 */
static u64 cpu_idle_ns(int cpu)
{
	unsigned long long v[5];
	char line[512], name[16];
	u64 ns = 0;
	int n;
	FILE *f = fopen("/proc/stat", "r");

	VFIO_ASSERT_NOT_NULL(f);
	snprintf(name, sizeof(name), "cpu%d ", cpu);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, strlen(name)))
			continue;
		n = sscanf(line + strlen(name), "%llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4]);
		VFIO_ASSERT_EQ(n, 5);
		ns = (v[3] + v[4]) * (1000000000ull / sysconf(_SC_CLK_TCK));
		break;
	}
	fclose(f);
	return ns;
}

/*
 * Wall and idle time of @cpu, which must be idle, at the instant its idle
 * time reaches the next multiple of /proc/stat's 10 ms: read it until it
 * changes, and take the middle of the last two reads as the wall time of
 * the change.  A busy row from two such points is off by about one read
 * of /proc/stat, not by 10 ms.
 */
static void idle_edge(int cpu, u64 *wall, u64 *idle)
{
	u64 i0 = cpu_idle_ns(cpu), t0 = now_ns(), start = t0, i, t;

	for (;;) {
		i = cpu_idle_ns(cpu);
		t = now_ns();
		if (i != i0)
			break;
		t0 = t;
		VFIO_ASSERT_LT(t - start, 1000000000ull, "CPU %d is not idle\n", cpu);
	}
	*wall = t0 + (t - t0) / 2;
	*idle = i;
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	VFIO_ASSERT_EQ(sched_setaffinity(0, sizeof(set), &set), 0);
}

/* CPU @cpu's column of a /proc/interrupts line; false if it has none. */
static bool irq_cpu_column(const char *line, int cpu, u64 *count)
{
	const char *p = strchr(line, ':');
	char *end;
	int i;

	if (!p)
		return false;
	for (i = 0, p++; i <= cpu; i++, p = end) {
		*count = strtoull(p, &end, 10);
		if (end == p)
			return false;
	}
	return true;
}

/* The /proc/interrupts line of the interrupt named @name into @line. */
static bool irq_line(const char *name, char *line, size_t size)
{
	size_t len = strlen(name);
	bool found = false;
	FILE *f = fopen("/proc/interrupts", "r");
	char *p;

	VFIO_ASSERT_NOT_NULL(f);
	while (!found && fgets(line, size, f)) {
		p = strstr(line, name);
		found = p && (!p[len] || p[len] == '\n' || p[len] == ' ');
	}
	fclose(f);
	return found;
}

/* The Linux irq number of the interrupt named @name, -1 if none. */
static int irq_by_name(const char *name)
{
	char line[4096];

	return irq_line(name, line, sizeof(line)) ? atoi(line) : -1;
}

/* How often CPU @cpu took the interrupt named @name (/proc/interrupts). */
static u64 irq_count_on(const char *name, int cpu)
{
	char line[4096];
	u64 count;

	if (!irq_line(name, line, sizeof(line)) || !irq_cpu_column(line, cpu, &count))
		return 0;
	return count;
}

/* Every interrupt CPU @cpu took so far (device, timer, IPIs: all lines). */
static u64 irq_total_on(int cpu)
{
	char line[4096];
	u64 total = 0, count;
	FILE *f = fopen("/proc/interrupts", "r");

	VFIO_ASSERT_NOT_NULL(f);
	while (fgets(line, sizeof(line), f))
		if (irq_cpu_column(line, cpu, &count))
			total += count;
	fclose(f);
	return total;
}

struct irq_snap {
	int n;
	struct {
		char label[64];
		u64 count;
	} line[512];
};

/* CPU @cpu's count of each /proc/interrupts line (first 512 lines) */
static void irq_snap_cpu(struct irq_snap *snap, int cpu)
{
	char line[4096], *name;
	FILE *f = fopen("/proc/interrupts", "r");
	u64 count;

	VFIO_ASSERT_NOT_NULL(f);
	snap->n = 0;
	while (snap->n < 512 && fgets(line, sizeof(line), f)) {
		if (!irq_cpu_column(line, cpu, &count))
			continue;
		/* "NN:" or "LOC:", then the chip and name for a device line */
		name = strrchr(line, ' ');
		line[strcspn(line, "\n")] = '\0';
		snprintf(snap->line[snap->n].label, sizeof(snap->line[0].label), "%.*s%s",
			 (int)strcspn(line + strspn(line, " "), ":"), line + strspn(line, " "),
			 name && strlen(name) > 1 ? name : "");
		snap->line[snap->n++].count = count;
	}
	fclose(f);
}

/* Print what else CPU @cpu took between @a and now: where its time went */
static void irq_snap_print_others(const struct irq_snap *a, int cpu, const char *measured)
{
	static struct irq_snap b;
	int i, j;

	irq_snap_cpu(&b, cpu);
	printf("# CPU %d also took:", cpu);
	for (i = 0; i < b.n; i++) {
		if (strstr(b.line[i].label, measured))
			continue;
		for (j = 0; j < a->n && strcmp(a->line[j].label, b.line[i].label); j++)
			;
		if (j < a->n && b.line[i].count > a->line[j].count)
			printf(" %s %llu", b.line[i].label,
			       (unsigned long long)(b.line[i].count - a->line[j].count));
	}
	printf("\n");
}

/* Send interrupt @name to CPU @cpu only; false if that cannot be done. */
static bool irq_to_cpu(const char *name, int cpu)
{
	char path[64], mask[16];
	int irq = irq_by_name(name), fd;
	bool ok;

	if (irq < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity", irq);
	snprintf(mask, sizeof(mask), "%x", 1u << cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return false;
	ok = write(fd, mask, strlen(mask)) == (ssize_t)strlen(mask);
	close(fd);
	return ok;
}

static long meminfo_kb(const char *field)
{
	char line[256];
	size_t len = strlen(field);
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	VFIO_ASSERT_NOT_NULL(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = atol(line + len + 1);
			break;
		}
	fclose(f);
	return kb;
}

/* ---- make profile ---------------------------------------------------- */

/*
 * Markers for the QEMU plugin of scripts/profile.sh (make profile), which
 * counts the guest instructions of the measured operations by function:
 * "xchg %bx,%bx" toggles counting, "xchg %cx,%cx" ends a phase.  Both are
 * no-ops for the CPU; without the plugin they cost one instruction each,
 * outside the timed code.
 */
static bool profiling;

static inline void prof_toggle(void)
{
	asm volatile(".byte 0x66, 0x87, 0xdb" ::: "memory");
}

static void prof_phase(const char *row, int count)
{
	static int phase;

	asm volatile(".byte 0x66, 0x87, 0xc9" ::: "memory");
	if (profiling)
		printf("# profile phase %d: %s, %d\n", phase++, row, count);
}

/* ---- SET_IRQS -------------------------------------------------------- */

static int set_irqs(int device_fd, u32 start, u32 count, const int *fds)
{
	size_t argsz = sizeof(struct vfio_irq_set) + count * sizeof(int);
	struct vfio_irq_set *hdr = alloca(argsz);

	hdr->argsz = argsz;
	hdr->flags = VFIO_IRQ_SET_ACTION_TRIGGER |
		     (fds ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE);
	hdr->index = MSIX;
	hdr->start = start;
	hdr->count = count;
	if (fds)
		memcpy(hdr->data, fds, count * sizeof(int));
	return ioctl(device_fd, VFIO_DEVICE_SET_IRQS, hdr) ? -errno : 0;
}

static void msix_disable(int device_fd)
{
	VFIO_ASSERT_EQ(set_irqs(device_fd, 0, 0, NULL), 0);
}

/*
 * A disable leaves RCU callbacks behind (irq descriptors, tree nodes);
 * without a pause the next rep's timed request pays for them in softirq.
 * 100 ms of guest time covers a grace period and its callbacks (kfree_rcu()
 * batches drain every few seconds and land in single reps, which medians
 * leave out).  Idle time is skipped by -icount, so the pause costs the host
 * little.  The same on both kernels.
 *
 * The caller's first tick after that pause is a busy tick, and it asks an
 * idle CPU to run load balancing for all idle CPUs (kick_ilb(): nohz idle
 * balancing, ~10,000 instructions with 32 CPUs).  That CPU runs it at its
 * next turn under QEMU's round-robin, i.e. inside whatever the caller times
 * next, and the clock counts every CPU's instructions: make profile found it
 * in every add at N = 1 and none at N = 1024, whose enable outlasts it.  A
 * second, short sleep lets it run while the caller idles; the tick ending
 * that one is too soon after the balancing to kick again.
 */
#define SETTLE_US	100000
#define SETTLE_TAIL_US	1000

static void settle(void)
{
	usleep(SETTLE_US);
	usleep(SETTLE_TAIL_US);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static double median_u64(u64 *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return (double)v[n / 2];
}

static double mean_u64(const u64 *v, int n)
{
	double sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += v[i];
	return sum / n;
}

/*
 * SET_IRQS cost: enable @n vectors at once from disabled, then add vector @n
 * to that live set of @n, then disable (untimed); @reps times.  Every add is
 * a first add (a virtual device keeps a vector's IMS entry until MSI-X is
 * disabled).  Wall time: nothing here waits for a device.  Returns false
 * (and prints n/a rows) when the kernel refuses.
 */
static bool bench_set_irqs(const char *dev, int device_fd, const int *efd, int n,
			   bool add, int reps)
{
	u64 t, *enables = calloc(reps, sizeof(u64)), *adds = calloc(reps, sizeof(u64));
	bool ok = false;
	char key[64];
	int r, ret;

	VFIO_ASSERT_NOT_NULL(enables);
	VFIO_ASSERT_NOT_NULL(adds);
	for (r = 0; r < reps; r++) {
		t = now_ns();
		ret = set_irqs(device_fd, 0, n, efd);
		enables[r] = now_ns() - t;
		if (ret) {
			snprintf(key, sizeof(key), "enable.%s.%d", dev, n);
			row_na(key, strerror(-ret));
			goto out;
		}
		if (add) {
			prof_toggle();
			t = now_ns();
			ret = set_irqs(device_fd, n, 1, &efd[n]);
			adds[r] = now_ns() - t;
			prof_toggle();
			if (ret) {
				snprintf(key, sizeof(key), "add.%s.%d", dev, n);
				row_na(key, strerror(-ret));
				add = false;
			}
		}
		msix_disable(device_fd);
		settle();
	}
	/*
	 * Medians: now and then an operation pays for an allocator slow path
	 * (a new slab, a page) that a mean would put on N.
	 */
	snprintf(key, sizeof(key), "enable.%s.%d", dev, n);
	row(key, median_u64(enables, reps), "ns", "median of %d reps, mean %.1f", reps,
	    mean_u64(enables, reps));
	if (add) {
		snprintf(key, sizeof(key), "add.%s.%d", dev, n);
		prof_phase(key, reps);
		row(key, median_u64(adds, reps), "ns", "median of %d reps, mean %.1f", reps,
		    mean_u64(adds, reps));
	}
	ok = true;
out:
	free(enables);
	free(adds);
	return ok;
}

/* ---- igb ------------------------------------------------------------- */

static void igb_setup(struct vfio_pci_device *device)
{
	void *bar0 = device->bars[0].vaddr;
	int v;

	vfio_pci_cmd_set(device, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	writel(~0u, bar0 + IGB_REG_EIMC);
	writel(IGB_GPIE_MSIX_MODE, bar0 + IGB_REG_GPIE);
	for (v = 0; v < IGB_MSIX_VECTORS; v++)
		writel(0, bar0 + IGB_REG_EITR(v));	/* no throttling */
	/* one message per EICS write */
	writel((1u << IGB_MSIX_VECTORS) - 1, bar0 + IGB_REG_EIAC);
	writel(0, bar0 + IGB_REG_EIAM);
	writel(~0u, bar0 + IGB_REG_EICR);
	writel((1u << IGB_MSIX_VECTORS) - 1, bar0 + IGB_REG_EIMS);
}

static void igb_fire(struct vfio_pci_device *device, int v)
{
	writel(1u << v, device->bars[0].vaddr + IGB_REG_EICS);
}

/* Fire, then take the signal off the eventfd; returns the count read. */
static u64 igb_fire_and_read(struct vfio_pci_device *device, int v, int fd)
{
	u64 got;

	igb_fire(device, v);
	if (read(fd, &got, sizeof(got)) == sizeof(got))
		return got;
	VFIO_ASSERT_EQ(errno, EAGAIN);
	return eventfd_wait(fd, WAIT_MS);
}

/*
 * Per-interrupt cost on igb vector 0.  "hot": the vector's interrupt goes to
 * the CPU that fires it, so it arrives at once and read() finds the eventfd
 * signalled: wall time, no idle.  "wake": the interrupt goes to the other
 * CPU while this one blocks in poll(): hardirq on an idle CPU, a wakeup, a
 * context switch, as for a device that answers later.
 */
static void bench_igb_irq(struct vfio_pci_device *device, const int *efd, bool wake)
{
	char name[64];
	struct snap a, b;
	u64 w1, w2, idle1, idle2, on1;
	u64 got = 0;
	int i;

	VFIO_ASSERT_EQ(set_irqs(device->fd, 0, 1, efd), 0);
	snprintf(name, sizeof(name), "vfio-msix[0](%s)", device->bdf);
	if (!irq_to_cpu(name, wake ? 1 : 0))
		printf("# could not set the affinity of %s\n", name);

	for (i = 0; i < 100; i++)
		got += igb_fire_and_read(device, 0, efd[0]);
	VFIO_ASSERT_EQ(got, 100);

	got = 0;
	on1 = irq_count_on(name, 1);
	idle_edge(1, &w1, &idle1);
	snap(&a);
	for (i = 0; i < iterations; i++)
		got += igb_fire_and_read(device, 0, efd[0]);
	snap(&b);
	idle_edge(1, &w2, &idle2);
	on1 = irq_count_on(name, 1) - on1;
	VFIO_ASSERT_EQ(got, (u64)iterations, "igb vector 0: %d fired, %lu received\n",
		       iterations, got);
	/*
	 * No device timer in either loop, so no idle period where every CPU
	 * waits (the clock never jumps): wall time is the work of both CPUs;
	 * busy agrees within its 10 ms resolution.
	 */
	row(wake ? "irq.msix.wake" : "irq.msix.hot", (double)(b.wall - a.wall) / iterations, "ns",
	    "wall, %d irqs, busy %.1f +-%.1f", iterations, busy_ns(&a, &b) / iterations,
	    2e7 / iterations);
	if (wake)
		row("irq.msix.irqcpu", ((double)(w2 - w1) - (double)(idle2 - idle1)) / iterations,
		    "ns", "busy of CPU 1, which took %lu of the %d irqs", on1, iterations);
	msix_disable(device->fd);
}

struct firing {
	struct vfio_pci_device *device;
	int fd;
	atomic_bool stop;
	atomic_ulong fired;
	atomic_ulong received;
};

/* Vector 0 fires, paced by its own delivery, until told to stop (CPU 1). */
static void *fire_vector0(void *arg)
{
	struct firing *f = arg;

	pin_to_cpu(1);
	while (!atomic_load(&f->stop)) {
		igb_fire(f->device, 0);
		atomic_fetch_add(&f->fired, 1);
		atomic_fetch_add(&f->received, eventfd_wait(f->fd, WAIT_MS / 10));
	}
	return NULL;
}

/*
 * Resize while vector 0 is in use: vectors 1 .. 9 are added one at a time,
 * either on the live set (dynamic MSI-X: SET_IRQS start=k count=1) or the
 * way a VMM without dynamic MSI-X does it (disable MSI-X, enable 0 .. k).
 *
 * Two counts.  "thread": vector 0 fires continuously from CPU 1 during the
 * whole sequence.  Under single-threaded TCG the vCPUs take turns, so that
 * thread rarely runs in the middle of an ioctl: it shows that nothing is
 * lost, but not how much a window loses.  "window": before, between and
 * after the ioctls of each step, vector 0 is fired once from this thread,
 * which is where a legacy resize's gap is; plus the length of the gap (from
 * the start of the disable to the end of the re-enable).
 */
static void bench_resize(struct vfio_pci_device *device, const int *efd, bool legacy)
{
	const char *mode = legacy ? "legacy" : "dynamic";
	struct firing f = { .device = device, .fd = efd[0] };
	u64 fired = 0, received = 0, gap = 0, t;
	pthread_t thread;
	char key[64];
	int k, ret;

	/* Windows first: deterministic, one fire per point of interest. */
	VFIO_ASSERT_EQ(set_irqs(device->fd, 0, 1, efd), 0);
	for (k = 1; k < IGB_MSIX_VECTORS; k++) {
		received += igb_fire_and_read(device, 0, efd[0]);
		fired++;
		t = now_ns();
		if (legacy) {
			msix_disable(device->fd);
			igb_fire(device, 0);	/* in the gap */
			fired++;
			ret = set_irqs(device->fd, 0, k + 1, efd);
		} else {
			ret = set_irqs(device->fd, k, 1, &efd[k]);
		}
		gap += now_ns() - t;
		VFIO_ASSERT_EQ(ret, 0, "%s resize to %d vectors: %s\n", mode, k + 1,
			       strerror(-ret));
		received += eventfd_drain(efd[0]);
		received += igb_fire_and_read(device, 0, efd[0]);
		fired++;
	}
	/* Every added vector works, and only on its own eventfd. */
	for (k = 0; k < IGB_MSIX_VECTORS; k++)
		VFIO_ASSERT_EQ(igb_fire_and_read(device, k, efd[k]), 1, "vector %d\n", k);
	msix_disable(device->fd);
	snprintf(key, sizeof(key), "resize.%s.window.lost", mode);
	row(key, (double)(fired - received), "irqs", "%lu fired, %lu received",
	    fired, received);
	snprintf(key, sizeof(key), "resize.%s.window.ns", mode);
	row(key, (double)gap / (IGB_MSIX_VECTORS - 1), "ns", "per resize step, %s", legacy ?
	    "vector 0 without a handler" : "vector 0 untouched");

	/* Continuous firing from the other CPU. */
	VFIO_ASSERT_EQ(set_irqs(device->fd, 0, 1, efd), 0);
	VFIO_ASSERT_EQ(pthread_create(&thread, NULL, fire_vector0, &f), 0);
	for (k = 1; k < IGB_MSIX_VECTORS; k++) {
		unsigned long before = atomic_load(&f.fired);

		if (legacy) {
			msix_disable(device->fd);
			ret = set_irqs(device->fd, 0, k + 1, efd);
		} else {
			ret = set_irqs(device->fd, k, 1, &efd[k]);
		}
		VFIO_ASSERT_EQ(ret, 0);
		/* Let vector 0 fire across the next step too (no sleep: yield). */
		while (atomic_load(&f.fired) < before + 2)
			sched_yield();
	}
	atomic_store(&f.stop, true);
	VFIO_ASSERT_EQ(pthread_join(thread, NULL), 0);
	f.received += eventfd_drain(efd[0]);
	msix_disable(device->fd);
	snprintf(key, sizeof(key), "resize.%s.thread.lost", mode);
	row(key, (double)(f.fired - f.received), "irqs", "%lu fired, %lu received",
	    (unsigned long)f.fired, (unsigned long)f.received);
}

static int run_igb(const char *bdf)
{
	static const int sizes[] = { 1, 2, 4, 8, 9, 10 };
	struct vfio_pci_device *device;
	struct iommu *iommu;
	int efd[IGB_MSIX_VECTORS + 1], i;

	iommu = iommu_init("iommufd");
	device = vfio_pci_device_init(bdf, iommu);
	for (i = 0; i <= IGB_MSIX_VECTORS; i++)
		efd[i] = eventfd_nonblock();
	igb_setup(device);
	pin_to_cpu(0);

	bench_igb_irq(device, efd, false);
	bench_igb_irq(device, efd, true);
	for (i = 0; i < (int)ARRAY_SIZE(sizes); i++)
		bench_set_irqs("igb", device->fd, efd, sizes[i], sizes[i] < IGB_MSIX_VECTORS, 500);
	bench_resize(device, efd, false);
	bench_resize(device, efd, true);

	writel(~0u, device->bars[0].vaddr + IGB_REG_EIMC);
	vfio_pci_device_cleanup(device);
	iommu_cleanup(iommu);
	return 0;
}

/* ---- IMS: edu SIOV virtual devices (docs/siov-edu.rst) ---------------- */

struct vdev {
	int id;
	int nvec;
	int fd;
	u64 bar0;	/* offset of BAR0 in the device fd */
	int *efd;
};

static const char *edu_bdf;

/* Bind edu to vfio-siov-edu; false if this kernel has no such driver. */
static bool siov_bind(void)
{
	char path[256];

	if (access("/sys/bus/pci/drivers/" SIOV_EDU_DRIVER, F_OK))
		return false;
	VFIO_ASSERT_EQ(siov_edu_parent_unbind(edu_bdf), 0, "unbinding %s\n", edu_bdf);
	VFIO_ASSERT_EQ(siov_edu_parent_bind(edu_bdf, SIOV_EDU_DRIVER), 0,
		       "binding %s to " SIOV_EDU_DRIVER "\n", edu_bdf);
	siov_edu_parent_attr(path, sizeof(path), edu_bdf, "create");
	return !access(path, W_OK);
}

static int vdev_create(int id, int nvec)
{
	return siov_edu_create(edu_bdf, id, nvec);
}

static void vdev_remove(int id)
{
	VFIO_ASSERT_EQ(siov_edu_remove(edu_bdf, id), 0, "removing virtual device %d\n", id);
}

/* Open virtual device @id through its cdev, bound to @iommu's IOAS. */
static void vdev_open(struct vdev *vd, int id, int nvec, struct iommu *iommu)
{
	struct vfio_region_info bar = { .argsz = sizeof(bar), .index = VFIO_PCI_BAR0_REGION_INDEX };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	char path[256], cdev[300] = "";
	struct dirent *e;
	DIR *d;
	int i;

	snprintf(path, sizeof(path),
		 "/sys/bus/auxiliary/devices/vfio_siov_edu.vdev.%d/vfio-dev", id);
	d = opendir(path);
	VFIO_ASSERT_NOT_NULL(d, "%s\n", path);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "vfio", 4))
			snprintf(cdev, sizeof(cdev), "/dev/vfio/devices/%s", e->d_name);
	closedir(d);
	VFIO_ASSERT_NE(cdev[0], 0);

	vd->id = id;
	vd->nvec = nvec;
	vd->fd = open(cdev, O_RDWR);
	VFIO_ASSERT_GE(vd->fd, 0, "%s\n", cdev);
	VFIO_ASSERT_EQ(__vfio_device_bind_iommufd(vd->fd, iommu->iommufd, NULL), 0);
	attach.pt_id = iommu->ioas_id;
	ioctl_assert(vd->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach);
	ioctl_assert(vd->fd, VFIO_DEVICE_GET_REGION_INFO, &bar);
	vd->bar0 = bar.offset;
	vd->efd = calloc(nvec + 1, sizeof(int));
	VFIO_ASSERT_NOT_NULL(vd->efd);
	for (i = 0; i <= nvec; i++)
		vd->efd[i] = eventfd_nonblock();
}

static void vdev_close(struct vdev *vd)
{
	int i;

	for (i = 0; i <= vd->nvec; i++)
		close(vd->efd[i]);
	free(vd->efd);
	close(vd->fd);
}

static void vdev_write(struct vdev *vd, u32 reg, u32 val)
{
	VFIO_ASSERT_EQ(pwrite(vd->fd, &val, 4, vd->bar0 + reg), 4);
}

static u32 vdev_read(struct vdev *vd, u32 reg)
{
	u32 val;

	VFIO_ASSERT_EQ(pread(vd->fd, &val, 4, vd->bar0 + reg), 4);
	return val;
}

#define WQ_CPUMASK	"/sys/devices/virtual/workqueue/cpumask"

/*
 * The IMS rows' CPUs.  edu's DMA engine sends an IMS message 100 ms of
 * virtual time after it is programmed, and the first CPU to take an
 * interrupt after such an idle period pays for it whatever the interrupt
 * (jiffies and timekeeping catch-up, expired deferred timers).  edu's own
 * MSI (DMA done) is raised right after each message, so it goes to the
 * pacing CPU, with the IMS vector that paces the MSI-X loop; the measured
 * vector, IMS or igb, goes to a CPU that was idle as long but is not the
 * first one awake.  The driver's work runs on the CPUs after these.
 */
#define IMS_CPU_PACE		1
#define IMS_CPU_MEASURED	2
#define IMS_CPUS_RESERVED	3

/* Unbound work items run on CPUs >= IMS_CPUS_RESERVED; false if that cannot be done. */
static bool work_off_ims_cpus(char *saved, size_t size)
{
	u64 mask = (ncpus == 64 ? ~0ull : (1ull << ncpus) - 1) & ~((1ull << IMS_CPUS_RESERVED) - 1);
	char str[32];
	FILE *f;

	if (ncpus <= IMS_CPUS_RESERVED || ncpus > 64)
		return false;
	f = fopen(WQ_CPUMASK, "r");
	if (!f)
		return false;
	if (!fgets(saved, size, f))
		saved[0] = '\0';
	fclose(f);
	/* cpumask_parse(): 32-bit hex groups, comma separated */
	if (ncpus > 32)
		snprintf(str, sizeof(str), "%x,%08x", (u32)(mask >> 32), (u32)mask);
	else
		snprintf(str, sizeof(str), "%x", (u32)mask);
	return saved[0] && !vfio_sysfs_write(WQ_CPUMASK, str);
}

/*
 * @n interrupts of one vector to IMS_CPU_MEASURED, each sent and received
 * by @fire_and_wait: the busy time of that CPU per interrupt, with the
 * other interrupts it took printed.
 */
struct ims_cpu_loop {
	const char *row;
	const char *irq;
	const char *note;
	void (*fire_and_wait)(void *arg, int i);
	void *arg;
};

static void ims_cpu_loop(const struct ims_cpu_loop *l, int n)
{
	const int cpu = IMS_CPU_MEASURED;
	static struct irq_snap others;
	u64 w1, w2, idle1, idle2, on, all;
	int i;

	on = irq_count_on(l->irq, cpu);
	all = irq_total_on(cpu);
	irq_snap_cpu(&others, cpu);
	idle_edge(cpu, &w1, &idle1);
	prof_toggle();
	for (i = 0; i < n; i++)
		l->fire_and_wait(l->arg, i);
	prof_phase(l->row, n);
	idle_edge(cpu, &w2, &idle2);
	on = irq_count_on(l->irq, cpu) - on;
	all = irq_total_on(cpu) - all;
	irq_snap_print_others(&others, cpu, l->irq);
	row(l->row, ((double)(w2 - w1) - (double)(idle2 - idle1)) / n, "ns",
	    "busy of CPU %d, which took %lu of the %d irqs (%lu interrupts in all)%s",
	    cpu, on, n, all, l->note);
}

struct ims_irq_arg {
	struct vdev *vd;
	struct vfio_pci_device *igb;
	int igb_efd;
};

static void ims_fire_vector1(void *arg, int i)
{
	struct ims_irq_arg *a = arg;

	vdev_write(a->vd, SIOV_EDU_DOORBELL, 1);
	VFIO_ASSERT_EQ(eventfd_wait(a->vd->efd[1], 10 * WAIT_MS), 1, "IMS vector 1, irq %d\n", i);
}

static void ims_pace_then_fire_igb(void *arg, int i)
{
	struct ims_irq_arg *a = arg;

	vdev_write(a->vd, SIOV_EDU_DOORBELL, 2);
	VFIO_ASSERT_EQ(eventfd_wait(a->vd->efd[2], 10 * WAIT_MS), 1, "IMS vector 2, irq %d\n", i);
	VFIO_ASSERT_EQ(igb_fire_and_read(a->igb, 0, a->igb_efd), 1, "igb vector 0, irq %d\n", i);
}

/*
 * Per-interrupt cost of IMS vector 1 of a virtual device, fired by its
 * doorbell, against igb MSI-X vector 0 in the same boot and the same
 * rhythm: wall time cannot count an IMS message (the clock jumps over
 * edu's 100 ms), so each row is the busy time of IMS_CPU_MEASURED, which
 * takes the interrupt while the reader blocks on CPU 0.  In the MSI-X loop
 * each igb fire follows an IMS message of vector 2 to IMS_CPU_PACE, so the
 * measured CPU has been idle as long as before an IMS interrupt.
 *
 * Sending a message is the driver's work here (a work item programming
 * edu's DMA engine, edu's own MSI per transfer), where an IMS device needs
 * none: it stays off the measured CPU.  The doorbell's own cost (a region
 * write through the vfio fd, emulated by the driver) is measured on a
 * vector without an eventfd (nothing is sent, DROPPED counts it).
 */
static void bench_ims_irq(struct vdev *vd, struct vfio_pci_device *igb, const int *igb_efd, int n)
{
	char name[96], msix_name[64], name2[96], wq_saved[64];
	struct ims_irq_arg arg = { .vd = vd, .igb = igb, .igb_efd = igb_efd[0] };
	struct snap a, b;
	u32 dropped;
	u64 got = 0;
	int i;

	/* igb quiet until its own loop */
	writel(~0u, igb->bars[0].vaddr + IGB_REG_EIMC);
	VFIO_ASSERT_EQ(set_irqs(vd->fd, 0, 3, vd->efd), 0);
	snprintf(name, sizeof(name), "vfio-ims-msix[1](vfio_siov_edu.vdev.%d)", vd->id);
	snprintf(name2, sizeof(name2), "vfio-ims-msix[2](vfio_siov_edu.vdev.%d)", vd->id);
	snprintf(msix_name, sizeof(msix_name), "vfio-msix[0](%s)", igb->bdf);
	if (!irq_to_cpu(name, IMS_CPU_MEASURED) || !irq_to_cpu(name2, IMS_CPU_PACE) ||
	    !irq_to_cpu(SIOV_EDU_DRIVER, IMS_CPU_PACE) || !work_off_ims_cpus(wq_saved, sizeof(wq_saved))) {
		row_na("irq.ims.irqcpu", "could not place the interrupts and the driver's work");
		goto out;
	}

	for (i = 0; i < 10; i++) {
		vdev_write(vd, SIOV_EDU_DOORBELL, 1);
		got += eventfd_wait(vd->efd[1], 10 * WAIT_MS);
	}
	VFIO_ASSERT_EQ(got, 10, "IMS vector 1 does not fire\n");
	ims_cpu_loop(&(struct ims_cpu_loop){ .row = "irq.ims.irqcpu", .irq = name, .note = "",
					     .fire_and_wait = ims_fire_vector1, .arg = &arg }, n);

	igb_setup(igb);
	VFIO_ASSERT_EQ(set_irqs(igb->fd, 0, 1, igb_efd), 0);
	if (!irq_to_cpu(msix_name, IMS_CPU_MEASURED))
		printf("# could not set the affinity of %s\n", msix_name);
	ims_cpu_loop(&(struct ims_cpu_loop){ .row = "irq.msix.idlecpu", .irq = msix_name,
					     .note = ", each after an IMS message to another CPU",
					     .fire_and_wait = ims_pace_then_fire_igb, .arg = &arg }, n);
	vfio_sysfs_write(WQ_CPUMASK, wq_saved);

	dropped = vdev_read(vd, SIOV_EDU_DROPPED);
	snap(&a);
	for (i = 0; i < n; i++)
		vdev_write(vd, SIOV_EDU_DOORBELL, 3);	/* no eventfd: dropped */
	snap(&b);
	VFIO_ASSERT_EQ(vdev_read(vd, SIOV_EDU_DROPPED), dropped + n);
	row("irq.ims.doorbell", (double)(b.wall - a.wall) / n, "ns",
	    "wall, %d doorbells to a vector without eventfd", n);
out:
	msix_disable(igb->fd);
	msix_disable(vd->fd);
}

/*
 * Resize a virtual device's live set while IMS vector 1 is in use: for each
 * added vector k, a message of vector 1 is in flight (doorbell written, the
 * DMA engine not done) while SET_IRQS adds k, and one more is sent after.
 */
static void bench_ims_resize(struct vdev *vd, int nvec)
{
	u64 fired = 0, received = 0;
	int k, ret;

	VFIO_ASSERT_EQ(set_irqs(vd->fd, 0, 2, vd->efd), 0);
	for (k = 2; k < nvec; k++) {
		vdev_write(vd, SIOV_EDU_DOORBELL, 1);
		fired++;
		ret = set_irqs(vd->fd, k, 1, &vd->efd[k]);
		VFIO_ASSERT_EQ(ret, 0, "adding vector %d: %s\n", k, strerror(-ret));
		received += eventfd_wait(vd->efd[1], 10 * WAIT_MS);
		vdev_write(vd, SIOV_EDU_DOORBELL, 1);
		fired++;
		received += eventfd_wait(vd->efd[1], 10 * WAIT_MS);
	}
	received += eventfd_drain(vd->efd[1]);
	msix_disable(vd->fd);
	row("resize.ims.lost", (double)(fired - received), "irqs",
	    "%lu fired, %lu received, vectors 2..%d added",
	    fired, received, nvec - 1);
}

/*
 * How many IMS vectors the parent sustains: virtual devices of @per IMS
 * vectors (plus the emulated vector 0) are created, opened and fully enabled
 * until one fails or @max_vdevs are up; the last vector of every device is
 * fired once; slab and free memory are compared with before.
 */
static void bench_ims_scale(struct iommu *iommu, int first_id, int max_vdevs, int per)
{
	long slab0 = meminfo_kb("Slab"), free0 = meminfo_kb("MemFree");
	long pcpu0 = meminfo_kb("Percpu");
	struct vdev *vds = calloc(max_vdevs, sizeof(*vds));
	int n, ret = 0, vectors = 0;
	const char *why = "limit of the benchmark";
	long slab, mfree, pcpu;
	u64 got;

	VFIO_ASSERT_NOT_NULL(vds);
	for (n = 0; n < max_vdevs; n++) {
		ret = vdev_create(first_id + n, per + 1);
		if (ret) {
			why = "create failed";
			break;
		}
		vdev_open(&vds[n], first_id + n, per + 1, iommu);
		ret = set_irqs(vds[n].fd, 0, per + 1, vds[n].efd);
		if (ret) {
			why = "SET_IRQS failed";
			vdev_close(&vds[n]);
			vdev_remove(first_id + n);
			break;
		}
		vectors += per;
	}
	slab = meminfo_kb("Slab") - slab0;
	mfree = free0 - meminfo_kb("MemFree");
	pcpu = meminfo_kb("Percpu") - pcpu0;

	got = 0;
	for (int i = 0; i < n; i++) {
		vdev_write(&vds[i], SIOV_EDU_DOORBELL, per);
		got += eventfd_wait(vds[i].efd[per], 10 * WAIT_MS);
	}
	VFIO_ASSERT_EQ(got, (u64)n, "last vector of %d virtual devices: %lu received\n",
		       n, got);

	row("scale.ims.vectors", vectors, "vectors", "%d vdevs x %d, stopped: %s%s%s", n, per, why,
	    ret ? ": " : "", ret ? strerror(-ret) : "");
	row("scale.ims.vdevs", n, "vdevs", NULL);
	if (vectors) {
		row("scale.ims.slab", slab * 1024.0 / vectors, "B/vector",
		    "Slab delta %ld kB", slab);
		row("scale.ims.mem", (mfree + 0.0) * 1024.0 / vectors, "B/vector",
		    "MemFree delta %ld kB (Percpu %+ld kB)", mfree, pcpu);
	}

	for (int i = n - 1; i >= 0; i--) {
		msix_disable(vds[i].fd);
		vdev_close(&vds[i]);
		vdev_remove(vds[i].id);
	}
	free(vds);
}

/*
 * Control for the add-one rows: the add at N = 1 on @vd while virtual
 * device @id holds @other live vectors (vector 0 emulated, the rest IMS).
 * With @other = 1024 the kernel holds as many interrupts as at N = 1024 on
 * @vd alone (irq descriptors, the parent's IMS entries, their procfs and
 * sysfs entries), while @vd's own state is that of N = 1: the difference
 * from N = 1 is what comes with the number of interrupts in the kernel,
 * whoever holds them.
 */
static void bench_ims_add_beside(struct vdev *vd, struct iommu *iommu, int id, int other)
{
	struct vdev od;

	VFIO_ASSERT_EQ(vdev_create(id, other), 0);
	vdev_open(&od, id, other, iommu);
	VFIO_ASSERT_EQ(set_irqs(od.fd, 0, other, od.efd), 0);
	settle();
	VFIO_ASSERT_TRUE(bench_set_irqs("vdev-beside", vd->fd, vd->efd, 1, true, 50));
	msix_disable(od.fd);
	vdev_close(&od);
	vdev_remove(id);
	settle();
}

/*
 * The IMS boot's rows.  With @profile (make profile), a short version of
 * the interrupt and add-one rows for the QEMU plugin: 200 interrupts,
 * add-one at N = 1, 1024 and 1 again (50 reps; with BENCH_PROFILE_ALL in
 * the environment, every N of make bench instead) and the N = 1 add beside
 * another device's 1024 vectors, each a profile phase.
 */
static int run_ims(const char *igb_bdf, bool profile)
{
	static const int enable_n[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024 };
	static const int profile_n[] = { 1, 1024, 1 };
	struct rlimit nofile = { 1 << 16, 1 << 16 };
	struct vfio_pci_device *igb;
	struct iommu *iommu;
	struct vdev vd;
	int efd[IGB_MSIX_VECTORS + 1], i;

	if (!siov_bind()) {
		row_na("irq.ims.irqcpu", "needs SIOV (no " SIOV_EDU_DRIVER " with siov/create)");
		return profile;
	}
	profiling = profile;
	VFIO_ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &nofile), 0);
	pin_to_cpu(0);
	iommu = iommu_init("iommufd");

	/* MSI-X reference in this same boot. */
	igb = vfio_pci_device_init(igb_bdf, iommu);
	for (i = 0; i <= IGB_MSIX_VECTORS; i++)
		efd[i] = eventfd_nonblock();
	igb_setup(igb);
	if (!profile)
		bench_igb_irq(igb, efd, true);

	VFIO_ASSERT_EQ(vdev_create(0, 2048), 0);
	vdev_open(&vd, 0, 2048, iommu);
	bench_ims_irq(&vd, igb, efd, profile ? 200 : ims_iterations);
	writel(~0u, igb->bars[0].vaddr + IGB_REG_EIMC);
	vfio_pci_device_cleanup(igb);
	if (profile) {
		/* BENCH_PROFILE_ALL=1: every N of make bench, in its order */
		bool all = getenv("BENCH_PROFILE_ALL");
		const int *ns = all ? enable_n : profile_n;
		int count = all ? ARRAY_SIZE(enable_n) : ARRAY_SIZE(profile_n);

		for (i = 0; i < count; i++)
			VFIO_ASSERT_TRUE(bench_set_irqs("vdev", vd.fd, vd.efd, ns[i], true, 50));
		bench_ims_add_beside(&vd, iommu, 1, 1024);
	} else {
		for (i = 0; i < (int)ARRAY_SIZE(enable_n); i++)
			if (!bench_set_irqs("vdev", vd.fd, vd.efd, enable_n[i], true, 50))
				break;
		if (i == (int)ARRAY_SIZE(enable_n))
			bench_ims_add_beside(&vd, iommu, 1, 1024);
		bench_ims_resize(&vd, 64);
	}
	vdev_close(&vd);
	vdev_remove(0);

	if (!profile)
		bench_ims_scale(iommu, 100, 128, 64);
	iommu_cleanup(iommu);
	return 0;
}

int main(int argc, char *argv[])
{
	const char *env = getenv("BENCH_ITERATIONS");

	if (env)
		iterations = atoi(env);
	env = getenv("BENCH_IMS_ITERATIONS");
	if (env)
		ims_iterations = atoi(env);
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# vfio_intr_bench: %d CPUs, %d iterations per interrupt row\n", ncpus, iterations);
	wait_for_nohz();

	if (argc == 3 && !strcmp(argv[1], "igb"))
		return run_igb(argv[2]);
	if (argc == 4 && (!strcmp(argv[1], "ims") || !strcmp(argv[1], "ims-profile"))) {
		edu_bdf = argv[2];
		return run_ims(argv[3], !strcmp(argv[1], "ims-profile"));
	}
	fprintf(stderr, "usage: %s igb IGB_BDF | ims|ims-profile EDU_BDF IGB_BDF\n", argv[0]);
	return 2;
}
