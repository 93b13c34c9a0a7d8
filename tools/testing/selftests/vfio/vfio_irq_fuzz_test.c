// SPDX-License-Identifier: GPL-2.0-only
/*
 * Randomized VFIO_DEVICE_SET_IRQS / VFIO_DEVICE_GET_IRQ_INFO fuzzer with a
 * userspace model of upstream 7.3 semantics (docs/design.rst, "uAPI
 * behaviour preserved"; vfio_pci_irq_errno_test.c pins the same rules row by
 * row).  Every return value is checked against the model, interleaved with
 * real interrupts the device raises, virtual INTx disable writes, resets and
 * close/reopen; eventfd counts are checked all along and at the end, and
 * /proc/interrupts must list exactly the model's host vectors and, at the
 * end, be back to its starting set of lines.
 *
 *   vfio_irq_fuzz_test <kind> [<PCI address>]  (kind: edu, igb, mtty, vdev)
 *
 * vdev: a virtual device of the edu SIOV driver on the edu parent <PCI
 * address> (MSI-X only, maskable per vector, vector 0 emulated).
 *
 * FUZZ_SEED (replay: the seed is printed at start and on failure) and
 * FUZZ_ITERS (operations, default 30000), from the environment or, in the
 * 'make check' VM, from the kernel command line as vfio_intr.fuzz_seed= and
 * vfio_intr.fuzz_iters= (VM_APPEND).  FUZZ_SCALE (vfio_intr.fuzz_scale=)
 * multiplies the operations: a deeper run of every row of tests.list.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/vfio_irq_dev.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest.h"

#define INTX	VFIO_PCI_INTX_IRQ_INDEX
#define MSI	VFIO_PCI_MSI_IRQ_INDEX
#define MSIX	VFIO_PCI_MSIX_IRQ_INDEX
#define ERR	VFIO_PCI_ERR_IRQ_INDEX
#define REQ	VFIO_PCI_REQ_IRQ_INDEX
#define NONE	VFIO_PCI_NUM_IRQS	/* no vector index enabled */

#define SET_MINSZ	(offsetof(struct vfio_irq_set, count) + sizeof(u32))
#define INFO_MINSZ	(offsetof(struct vfio_irq_info, count) + sizeof(u32))

#define NPOOL		6	/* trigger eventfds */
#define MAXVEC		64	/* vectors modelled per index */
#define MAXDATA		(MAXVEC * sizeof(int) + 64)
#define LOGSZ		16	/* operations kept for the failure report */

/* What an fd value in a DATA_EVENTFD payload is, for the model. */
enum fd_class {
	FD_POOL,	/* a pool eventfd (or a dup of one) */
	FD_NEG,		/* negative */
	FD_BADF,	/* not an open fd */
	FD_NOTEFD,	/* an open fd that is not an eventfd */
	FD_UNMASK,	/* the INTx unmask eventfd */
};

struct mvec {
	bool on;	/* set up (block) / enabled (INTx) */
	int efd;	/* pool slot of the trigger, -1 for none */
	bool masked;	/* block vector of a maskable index */
	bool pending;	/* fired while masked */
};

/* The expected state of the device, upstream 7.3 semantics. */
struct model {
	u32 active;
	u32 nvec;		/* vectors allocated at enable (MSI, static MSI-X) */
	struct mvec vec[MAXVEC];
	bool masked;		/* INTx */
	bool pending;		/* INTx latched while masked (emulated) */
	bool virq_disabled;	/* virtual PCI_COMMAND_INTX_DISABLE */
	bool unmask_fd;		/* INTx unmask eventfd installed */
	int notify[2];		/* ERR, REQ trigger slot or -1 */
};

struct fuzz {
	struct irq_dev dev;
	const char *arg;
	struct model m;
	u64 seed, rng;
	unsigned long iters, op;
	int pool[NPOOL], dup[NPOOL];
	u64 expect[NPOOL], seen[NPOOL];
	int unmask_efd, devnull, badfd;
	bool dyn_msix;
	int reset_ret;
	u8 *page;		/* two pages, the second PROT_NONE */
	long pagesz;
	char log[LOGSZ][160];
	/* statistics */
	unsigned long calls, set_ok, set_err, info_calls, fires, signals;
	unsigned long resets, reopens, disintx, proc_checks;
	unsigned long errnos[160];
};

static struct fuzz F;

static void log_op(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(F.log[F.op % LOGSZ], sizeof(F.log[0]), fmt, ap);
	va_end(ap);
}

static void __noreturn __printf(1, 2) fail(const char *fmt, ...)
{
	unsigned long i;
	va_list ap;

	va_start(ap, fmt);
	printf("# FAIL at operation %lu: ", F.op);
	vprintf(fmt, ap);
	va_end(ap);
	printf("# last operations (oldest first):\n");
	for (i = F.op >= LOGSZ ? F.op - LOGSZ + 1 : 0; i <= F.op; i++)
		printf("#   %lu: %s\n", i, F.log[i % LOGSZ]);
	printf("# replay: FUZZ_SEED=%llu FUZZ_ITERS=%lu vfio_irq_fuzz_test %s%s%s\n",
	       (unsigned long long)F.seed, F.iters, F.dev.kind->name,
	       F.arg ? " " : "", F.arg ?: "");
	fflush(stdout);
	ksft_exit_fail();
	exit(KSFT_FAIL);
}

/* xorshift64*: a replayable stream from the seed */
static u64 rnd(void)
{
	F.rng ^= F.rng >> 12;
	F.rng ^= F.rng << 25;
	F.rng ^= F.rng >> 27;
	return F.rng * 0x2545F4914F6CDD1DULL;
}

static u32 below(u32 n)
{
	return n ? rnd() % n : 0;
}

static bool chance(u32 percent)
{
	return below(100) < percent;
}

static u32 count_of(u32 index)
{
	return irq_dev_count(&F.dev, index);
}

/* Eventfd accounting: drained values must equal the model's. */
static void drain(int slot)
{
	F.seen[slot] += eventfd_drain(F.pool[slot]);
}

static void check_counts(void)
{
	int i;

	for (i = 0; i < NPOOL; i++) {
		drain(i);
		if (F.seen[i] != F.expect[i])
			fail("eventfd %d: %llu signals, expected %llu\n", i,
			     (unsigned long long)F.seen[i],
			     (unsigned long long)F.expect[i]);
	}
}

static void signal_slot(int slot)
{
	if (slot >= 0) {
		F.expect[slot]++;
		F.signals++;
	}
}

/* Wait for an asynchronous signal the model expects on @slot. */
static void wait_slot(int slot)
{
	struct pollfd pfd = { .fd = F.pool[slot], .events = POLLIN };
	int n = 0;

	while (F.seen[slot] < F.expect[slot]) {
		if (n++ == 100 || poll(&pfd, 1, VFIO_IRQ_WAIT_MS / 100) < 0)
			fail("eventfd %d: %llu signals, expected %llu (device interrupt lost)\n",
			     slot, (unsigned long long)F.seen[slot],
			     (unsigned long long)F.expect[slot]);
		drain(slot);
	}
}

/* Pick an fd for a DATA_EVENTFD payload; @unmask: for ACTION_UNMASK. */
static int pick_fd(bool unmask)
{
	u32 r = below(100);
	int slot = below(NPOOL);

	if (unmask && r < 40)
		return F.unmask_efd;
	if (!unmask && r < 55)
		return F.pool[slot];
	if (!unmask && r < 65)
		return F.dup[slot];
	if (r < 80)
		return -1;
	switch (below(7)) {
	case 0:
		return -2;
	case 1:
		return INT_MIN;
	case 2:
		return -(int)below(1000) - 3;
	case 3:
		return F.badfd;
	case 4:
		return 1 << 20;
	case 5:
		return F.devnull;
	default:
		return F.dev.fd;
	}
}

static enum fd_class classify(int fd, int *slot)
{
	int i;

	*slot = -1;
	if (fd < 0)
		return FD_NEG;
	if (fd == F.unmask_efd)
		return FD_UNMASK;
	for (i = 0; i < NPOOL; i++)
		if (fd == F.pool[i] || fd == F.dup[i]) {
			*slot = i;
			return FD_POOL;
		}
	if (fd == F.devnull || fd == F.dev.fd)
		return FD_NOTEFD;
	return FD_BADF;
}

/* Error of an eventfd lookup of a non-negative fd, 0 if it is an eventfd */
static int lookup_err(enum fd_class c)
{
	return c == FD_BADF ? -EBADF : c == FD_NOTEFD ? -EINVAL : 0;
}

static void model_reset(void)
{
	int i;

	memset(&F.m, 0, sizeof(F.m));
	F.m.active = NONE;
	for (i = 0; i < MAXVEC; i++)
		F.m.vec[i].efd = -1;
	F.m.notify[0] = -1;
	F.m.notify[1] = -1;
}

static void model_disable(void)
{
	struct model *m = &F.m;
	int i;

	for (i = 0; i < MAXVEC; i++)
		m->vec[i] = (struct mvec){ .efd = -1 };
	m->active = NONE;
	m->nvec = 0;
	m->masked = false;
	m->pending = false;
	m->unmask_fd = false;
}

/* INTx unmask (user, or virtual INTx disable cleared). */
static void model_intx_unmask(void)
{
	struct model *m = &F.m;

	if (m->active != INTX || !m->masked || m->virq_disabled)
		return;
	m->masked = false;
	if (m->pending) {
		m->pending = false;
		m->masked = true;
		signal_slot(m->vec[0].efd);
	}
}

struct req {
	u32 argsz, flags, index, start, count;
	const void *data;
	size_t avail;		/* payload bytes readable behind the header */
};

static bool wants(const struct req *r, u32 i)
{
	if ((r->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) == VFIO_IRQ_SET_DATA_BOOL)
		return ((const u8 *)r->data)[i];
	return true;
}

static int fd_at(const struct req *r, u32 i)
{
	return ((const int *)r->data)[i];
}

static int model_intx(const struct req *r, u32 dtype, u32 action)
{
	struct model *m = &F.m;
	enum fd_class c;
	int slot, err;

	if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
		if (m->active == INTX && !r->count &&
		    dtype == VFIO_IRQ_SET_DATA_NONE) {
			model_disable();
			return 0;
		}
		if ((m->active != INTX && m->active != NONE) || r->start ||
		    r->count != 1)
			return -EINVAL;
		if (dtype != VFIO_IRQ_SET_DATA_EVENTFD) {
			if (m->active != INTX)
				return -EINVAL;
			if (wants(r, 0) && !m->virq_disabled)
				signal_slot(m->vec[0].efd);
			return 0;
		}
		c = classify(fd_at(r, 0), &slot);
		if (c == FD_UNMASK)
			fail("model: unmask eventfd used as a trigger\n");
		err = lookup_err(c);
		if (err)
			return err;
		if (m->active == NONE) {
			m->active = INTX;
			m->vec[0].on = true;
			m->masked = m->virq_disabled;
			m->pending = false;
		}
		m->vec[0].efd = slot;
		return 0;
	}

	if (m->active != INTX || r->start || r->count != 1)
		return -EINVAL;

	if (action == VFIO_IRQ_SET_ACTION_MASK) {
		if (dtype == VFIO_IRQ_SET_DATA_EVENTFD)
			return -ENOTTY;
		if (wants(r, 0))
			m->masked = true;
		return 0;
	}

	/* UNMASK */
	if (dtype != VFIO_IRQ_SET_DATA_EVENTFD) {
		if (wants(r, 0))
			model_intx_unmask();
		return 0;
	}
	c = classify(fd_at(r, 0), &slot);
	if (c == FD_NEG) {
		m->unmask_fd = false;
		return 0;
	}
	if (c == FD_POOL)
		fail("model: pool eventfd used as the unmask eventfd\n");
	err = lookup_err(c);
	if (err)
		return err;
	if (m->unmask_fd)
		return -EBUSY;
	m->unmask_fd = true;
	return 0;
}

/* Set one vector of a block index; 0 or the error. */
static int model_set_vector(u32 index, u32 v, int fd)
{
	struct model *m = &F.m;
	enum fd_class c;
	int slot;

	m->vec[v] = (struct mvec){ .efd = -1 };
	if (fd < 0)
		return 0;
	/* vector_alloc before the eventfd lookup */
	if (F.dev.kind->host_irqs && v >= m->nvec &&
	    !(index == MSIX && F.dyn_msix))
		return -EINVAL;
	c = classify(fd, &slot);
	if (c == FD_UNMASK)
		fail("model: unmask eventfd used as a trigger\n");
	if (lookup_err(c))
		return lookup_err(c);
	m->vec[v] = (struct mvec){ .on = true, .efd = slot };
	return 0;
}

static int model_block(const struct req *r, u32 index, u32 dtype)
{
	struct model *m = &F.m;
	u32 i, j;
	int ret = 0;

	if (m->active == index && !r->count &&
	    dtype == VFIO_IRQ_SET_DATA_NONE) {
		model_disable();
		return 0;
	}
	if (m->active != index && m->active != NONE)
		return -EINVAL;

	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD) {
		bool enabling = m->active == NONE;

		if (enabling) {
			if (!(r->start + r->count))
				return F.dev.kind->enable0_errno;
			m->active = index;
			m->nvec = r->start + r->count;
		}
		for (i = 0; i < r->count && !ret; i++)
			ret = model_set_vector(index, r->start + i,
					       fd_at(r, i));
		if (ret) {
			for (j = 0; j < i; j++)
				m->vec[r->start + j] =
					(struct mvec){ .efd = -1 };
			if (enabling)
				model_disable();
		}
		return ret;
	}

	if (m->active != index)
		return -EINVAL;
	for (i = 0; i < r->count; i++) {
		struct mvec *mv = &m->vec[r->start + i];

		if (!mv->on || !wants(r, i))
			continue;
		if (mv->masked)
			mv->pending = true;
		else
			signal_slot(mv->efd);
	}
	return 0;
}

/*
 * Per-vector MASK/UNMASK of a block index: virtual MSI-X only
 * (VFIO_IRQ_INFO_MASKABLE), -ENOTTY on a PCI function as upstream.
 */
static int model_block_mask(const struct req *r, u32 dtype, u32 action)
{
	struct model *m = &F.m;
	struct mvec *mv;
	u32 i;

	if (!(F.dev.info[r->index].flags & VFIO_IRQ_INFO_MASKABLE) ||
	    dtype == VFIO_IRQ_SET_DATA_EVENTFD)
		return -ENOTTY;
	if (m->active != r->index || !r->count)
		return -EINVAL;
	for (i = 0; i < r->count; i++)
		if (wants(r, i) && !m->vec[r->start + i].on)
			return -EINVAL;
	for (i = 0; i < r->count; i++) {
		mv = &m->vec[r->start + i];
		if (!wants(r, i))
			continue;
		if (action == VFIO_IRQ_SET_ACTION_MASK) {
			mv->masked = true;
		} else if (mv->masked) {
			mv->masked = false;
			if (mv->pending) {
				mv->pending = false;
				signal_slot(mv->efd);
			}
		}
	}
	return 0;
}

static int model_notify(const struct req *r, u32 dtype)
{
	int *cur = &F.m.notify[r->index - ERR];
	enum fd_class c;
	int slot, fd;

	if (dtype == VFIO_IRQ_SET_DATA_NONE) {
		if (*cur < 0)
			return -EINVAL;
		if (r->count)
			signal_slot(*cur);
		else
			*cur = -1;
		return 0;
	}
	if (!r->count)
		return -EINVAL;
	if (dtype == VFIO_IRQ_SET_DATA_BOOL) {
		if (*cur >= 0 && wants(r, 0))
			signal_slot(*cur);
		return 0;
	}
	fd = fd_at(r, 0);
	if (fd == -1) {
		*cur = -1;
		return 0;
	}
	if (fd < 0)
		return -EINVAL;
	c = classify(fd, &slot);
	if (c == FD_UNMASK)
		fail("model: unmask eventfd used as a trigger\n");
	if (lookup_err(c))
		return lookup_err(c);
	*cur = slot;
	return 0;
}

/* The expected result of SET_IRQS @r; updates the model. */
static int model_set_irqs(const struct req *r)
{
	u32 n, dtype, action, size;

	if (r->argsz < SET_MINSZ || r->index >= VFIO_PCI_NUM_IRQS ||
	    r->count >= UINT_MAX - r->start ||
	    (r->flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
			  VFIO_IRQ_SET_ACTION_TYPE_MASK)))
		return -EINVAL;
	n = count_of(r->index);
	if (r->start >= n || r->start + r->count > n)
		return -EINVAL;
	dtype = r->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	switch (dtype) {
	case VFIO_IRQ_SET_DATA_NONE:
		size = 0;
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		size = 1;
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		size = sizeof(int);
		break;
	default:
		return -EINVAL;
	}
	if (size && r->argsz - SET_MINSZ < r->count * size)
		return -EINVAL;
	if (size * r->count > r->avail)
		return -EFAULT;

	action = r->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	if (action != VFIO_IRQ_SET_ACTION_MASK &&
	    action != VFIO_IRQ_SET_ACTION_UNMASK &&
	    action != VFIO_IRQ_SET_ACTION_TRIGGER)
		return -ENOTTY;

	switch (r->index) {
	case INTX:
		return model_intx(r, dtype, action);
	case MSI:
	case MSIX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return model_block_mask(r, dtype, action);
		return model_block(r, r->index, dtype);
	default:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -ENOTTY;
		return model_notify(r, dtype);
	}
}

static const char *flags_str(u32 flags, char *buf, size_t size)
{
	static const char * const a[] = { "MASK", "UNMASK", "TRIGGER" };
	static const char * const d[] = { "NONE", "BOOL", "EVENTFD" };
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 3; i++)
		if (flags & (VFIO_IRQ_SET_ACTION_MASK << i))
			n += snprintf(buf + n, size - n, "%s|", a[i]);
	for (i = 0; i < 3; i++)
		if (flags & (VFIO_IRQ_SET_DATA_NONE << i))
			n += snprintf(buf + n, size - n, "%s|", d[i]);
	if (flags & ~0x3fu)
		n += snprintf(buf + n, size - n, "0x%x|", flags & ~0x3fu);
	if (n)
		buf[n - 1] = '\0';
	return buf;
}

static void count_errno(int ret)
{
	if (ret < 0 && -ret < (int)ARRAY_SIZE(F.errnos))
		F.errnos[-ret]++;
}

/* Build, log, issue and check one SET_IRQS. */
static void do_set_irqs(struct req *r, const void *payload, size_t len)
{
	struct vfio_irq_set *hdr;
	char fl[64], d[64] = "";
	size_t i, n = 0;
	int expect, ret;

	/* Header at the end of the readable page: @avail payload bytes. */
	if (len > r->avail)
		len = r->avail;
	hdr = (void *)(F.page + F.pagesz - SET_MINSZ - r->avail);
	hdr->argsz = r->argsz;
	hdr->flags = r->flags;
	hdr->index = r->index;
	hdr->start = r->start;
	hdr->count = r->count;
	memcpy(hdr->data, payload, len);
	r->data = payload;

	if ((r->flags & VFIO_IRQ_SET_DATA_EVENTFD) && !(r->flags & 3))
		for (i = 0; i < len / sizeof(int) && i < 4; i++)
			n += snprintf(d + n, sizeof(d) - n, " %d",
				      ((const int *)payload)[i]);
	else if ((r->flags & VFIO_IRQ_SET_DATA_BOOL) && !(r->flags & 5))
		for (i = 0; i < len && i < 8; i++)
			n += snprintf(d + n, sizeof(d) - n, " %u",
				      ((const u8 *)payload)[i]);
	log_op("SET_IRQS argsz %u %s index %u start %u count %u avail %zu data%s",
	       r->argsz, flags_str(r->flags, fl, sizeof(fl)), r->index,
	       r->start, r->count, r->avail, d);

	expect = model_set_irqs(r);
	ret = __vfio_device_set_irqs(F.dev.fd, hdr);
	F.calls++;
	count_errno(ret);
	if (ret)
		F.set_err++;
	else
		F.set_ok++;
	if (ret != expect)
		fail("SET_IRQS returned %d (%s), expected %d (%s)\n", ret,
		     strerror(-ret), expect, strerror(-expect));
}

static void do_get_irq_info(void)
{
	struct vfio_irq_info *info;
	u32 index, argsz;
	int expect, ret;
	bool ok;

	index = chance(90) ? below(VFIO_PCI_NUM_IRQS) :
		chance(50) ? VFIO_PCI_NUM_IRQS + below(3) : (u32)rnd();
	argsz = chance(85) ? sizeof(*info) :
		chance(50) ? below(INFO_MINSZ) : INFO_MINSZ + below(64);
	info = (void *)(F.page + F.pagesz - INFO_MINSZ);
	memset(info, 0xa5, INFO_MINSZ);
	info->argsz = argsz;
	info->index = index;
	log_op("GET_IRQ_INFO argsz %u index %u", argsz, index);

	if (index >= VFIO_PCI_NUM_IRQS)
		expect = -EINVAL;
	else if (F.dev.info_ret[index])
		expect = F.dev.info_ret[index];
	else
		expect = argsz < INFO_MINSZ ? -EINVAL : 0;

	ret = ioctl(F.dev.fd, VFIO_DEVICE_GET_IRQ_INFO, info) ? -errno : 0;
	F.calls++;
	F.info_calls++;
	count_errno(ret);
	if (ret != expect)
		fail("GET_IRQ_INFO returned %d, expected %d\n", ret, expect);
	if (ret)
		return;
	ok = info->argsz == argsz && info->index == index &&
	     info->flags == F.dev.info[index].flags &&
	     info->count == F.dev.info[index].count;
	if (!ok)
		fail("GET_IRQ_INFO(%u): argsz %u flags 0x%x count %u, expected %u 0x%x %u\n",
		     index, info->argsz, info->flags, info->count, argsz,
		     F.dev.info[index].flags, F.dev.info[index].count);
}

static u32 pick_index(void)
{
	static const u32 vec_indexes[] = { INTX, MSI, MSIX };
	u32 r = below(100);

	if (r < 75) {
		/* mostly the indexes the device has */
		u32 i = below(3);

		if (count_of(vec_indexes[i]) || chance(20))
			return vec_indexes[i];
		return F.m.active != NONE ? F.m.active : vec_indexes[i];
	}
	if (r < 93)
		return ERR + below(2);
	return chance(50) ? VFIO_PCI_NUM_IRQS : (u32)rnd();
}

static u32 pick_action(u32 index)
{
	u32 r = below(100);

	if (r < 70)
		return VFIO_IRQ_SET_ACTION_TRIGGER;
	if (r < 82)
		return VFIO_IRQ_SET_ACTION_UNMASK;
	if (r < 94)
		return VFIO_IRQ_SET_ACTION_MASK;
	return below(8) << 3;	/* none or several */
}

static u32 pick_dtype(u32 action)
{
	u32 r = below(100);

	if (r < 45)
		return VFIO_IRQ_SET_DATA_EVENTFD;
	if (r < 70)
		return VFIO_IRQ_SET_DATA_NONE;
	if (r < 95)
		return VFIO_IRQ_SET_DATA_BOOL;
	return below(8);	/* none or several */
}

/* A random SET_IRQS, shaped to be valid most of the time. */
static void op_set_irqs(void)
{
	u8 payload[MAXDATA];
	struct req r = {};
	u32 n, size, i, dtype;
	bool unmask;

	r.index = pick_index();
	r.flags = pick_action(r.index);
	unmask = r.flags == VFIO_IRQ_SET_ACTION_UNMASK;
	r.flags |= pick_dtype(r.flags);
	if (chance(2))
		r.flags |= 1u << (6 + below(26));
	n = count_of(r.index < VFIO_PCI_NUM_IRQS ? r.index : 0);

	switch (below(20)) {
	case 0:		/* overflow and out of range */
		r.start = chance(50) ? below(4) : UINT_MAX - below(3);
		r.count = chance(50) ? UINT_MAX - below(3) : below(n + 3);
		break;
	case 1:
		r.start = n + below(3);
		r.count = below(3);
		break;
	case 2:		/* disable */
		r.start = below(n + 1);
		r.count = 0;
		r.flags = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_NONE;
		break;
	default:
		r.start = below(n ? n : 1);
		r.count = chance(15) ? 0 : 1 + below(n - r.start ?: 1);
		if (r.index <= INTX || r.index >= ERR)
			r.count = chance(85) ? 1 : r.count;
		break;
	}

	dtype = r.flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	size = dtype == VFIO_IRQ_SET_DATA_EVENTFD ? sizeof(int) :
	       dtype == VFIO_IRQ_SET_DATA_BOOL ? 1 : 0;
	i = r.count < MAXVEC ? r.count : MAXVEC;
	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD) {
		int *fds = (int *)payload;
		u32 k;

		for (k = 0; k < i; k++)
			fds[k] = pick_fd(unmask && r.index == INTX);
	} else {
		for (u32 k = 0; k < i; k++)
			payload[k] = chance(70) ? 1 : chance(50) ? 0 : rnd();
	}

	r.argsz = SET_MINSZ + size * i;
	switch (below(25)) {
	case 0:
		r.argsz = below(SET_MINSZ);
		break;
	case 1:
		if (r.argsz > SET_MINSZ)
			r.argsz -= 1 + below(r.argsz - SET_MINSZ);
		break;
	case 2:
		r.argsz += below(32);
		break;
	}

	r.avail = MAXDATA;
	if (chance(3))
		r.avail = below(size * i + 1);	/* payload runs off the page */
	do_set_irqs(&r, payload, size * i);
}

/*
 * A well-formed request the device is likely to accept: an enable, a vector
 * update, a disable, or a mask state change.  Keeps the state interesting.
 */
static void op_set_valid(void)
{
	u32 vec_indexes[3], nidx = 0, i, n, index;
	int fds[MAXVEC];
	struct req r = {};

	for (i = INTX; i <= MSIX; i++)
		if (count_of(i))
			vec_indexes[nidx++] = i;
	if (!nidx)
		return;
	index = F.m.active != NONE && chance(80) ? F.m.active :
		vec_indexes[below(nidx)];
	n = count_of(index);
	r.index = index;
	r.flags = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD;

	if (index == INTX && F.m.active == INTX && chance(40)) {
		r.flags = (chance(50) ? VFIO_IRQ_SET_ACTION_MASK :
			   VFIO_IRQ_SET_ACTION_UNMASK) | VFIO_IRQ_SET_DATA_NONE;
		r.count = 1;
	} else if (F.m.active == index && chance(15)) {
		r.flags = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_NONE;
		r.count = 0;
	} else {
		r.start = index == INTX ? 0 : below(n);
		r.count = index == INTX ? 1 : 1 + below(n - r.start);
		if (r.count > MAXVEC)
			r.count = MAXVEC;
		for (i = 0; i < r.count; i++)
			fds[i] = chance(85) ? F.pool[below(NPOOL)] : -1;
	}
	r.argsz = SET_MINSZ + ((r.flags & VFIO_IRQ_SET_DATA_EVENTFD) ?
			       r.count * sizeof(int) : 0);
	r.avail = MAXDATA;
	do_set_irqs(&r, fds, r.argsz - SET_MINSZ);
}

/* Make the device raise a vector whose delivery the model can predict. */
static void op_fire(void)
{
	const struct irq_dev_kind *k = F.dev.kind;
	struct model *m = &F.m;
	bool proc_wait = false;
	char name[96];
	long before = 0;
	int slot = -1, n = 0;
	u32 v = 0;

	if (m->active == NONE)
		return;
	if (m->active != INTX) {
		v = below(count_of(m->active) < MAXVEC ?
			  count_of(m->active) : MAXVEC);
		/* a vector without a handler would stay pending */
		if (!m->vec[v].on)
			return;
		/* a slow one (a DMA) only now and then */
		if (v && k->slow_fire_div > 1 && below(k->slow_fire_div))
			return;
	}
	/* INTx without a trigger: the handler ran once its count moved */
	if (m->active == INTX && !m->masked && m->vec[0].efd < 0 &&
	    !k->sync_fire) {
		proc_wait = true;
		irq_dev_irq_name(&F.dev, INTX, 0, name, sizeof(name));
		before = irq_proc_count(name);
	}
	log_op("fire index %u vector %u", m->active, v);
	if (!k->fire(&F.dev, F.dev.fd, m->active, v))
		return;
	F.fires++;

	if (m->active == INTX) {
		if (m->masked) {
			/* latched (emulated) or dropped by quiesce() */
			m->pending |= k->intx_latch;
		} else {
			m->masked = true;
			slot = m->vec[0].efd;
		}
	} else if (m->vec[v].masked) {
		m->vec[v].pending = true;
	} else {
		slot = m->vec[v].efd;
	}
	signal_slot(slot);
	if (slot >= 0 && !k->sync_fire)
		wait_slot(slot);
	else if (k->sync)
		k->sync(&F.dev, F.dev.fd);
	/* delivered: not pending; masked: latched in the PBA */
	if (m->active != INTX && k->pending &&
	    k->pending(&F.dev, F.dev.fd, m->active, v) != m->vec[v].pending)
		fail("PBA bit of vector %u is %d, expected %d\n", v,
		     !m->vec[v].pending, m->vec[v].pending);
	while (proc_wait && irq_proc_count(name) == before)
		if (n++ > 100000)
			fail("INTx interrupt of %s not handled\n", name);
	k->quiesce(&F.dev, F.dev.fd);
}

/* Virtual PCI_COMMAND_INTX_DISABLE write. */
static void op_disintx(void)
{
	struct model *m = &F.m;
	bool set = chance(50);
	u16 cmd;

	if (!F.dev.kind->virt_disintx)
		return;
	log_op("config: INTx disable %d", set);
	cmd = irq_dev_config_read(&F.dev, F.dev.fd, PCI_COMMAND, 2);
	cmd = set ? cmd | PCI_COMMAND_INTX_DISABLE :
		    cmd & ~PCI_COMMAND_INTX_DISABLE;
	irq_dev_config_write(&F.dev, F.dev.fd, PCI_COMMAND, cmd, 2);
	F.disintx++;
	if (m->virq_disabled == set)
		return;
	m->virq_disabled = set;
	if (set) {
		if (m->active == INTX)
			m->masked = true;
	} else {
		model_intx_unmask();
	}
}

static void op_reset(void)
{
	int ret;

	log_op("VFIO_DEVICE_RESET");
	ret = irq_dev_reset(F.dev.fd);
	if (ret != F.reset_ret)
		fail("VFIO_DEVICE_RESET returned %d, expected %d\n", ret,
		     F.reset_ret);
	if (!ret)
		F.dev.kind->setup(&F.dev, F.dev.fd);
	F.resets++;
}

/* Close drops every interrupt; a new open starts from scratch. */
static void op_reopen(void)
{
	int fd;

	log_op("close and reopen");
	F.dev.kind->quiesce(&F.dev, F.dev.fd);
	VFIO_ASSERT_EQ(close(F.dev.fd), 0);
	fd = irq_dev_open_fd(&F.dev);
	if (fd < 0)
		fail("reopen: %s\n", strerror(-fd));
	F.dev.fd = fd;
	check_counts();
	model_reset();
	irq_dev_init_fd(&F.dev, fd);
	F.reopens++;
}

/* Host vectors in /proc/interrupts must be exactly the model's. */
static void check_proc(void)
{
	char got[4096], want[96];
	int n, expect = 0, i;
	u32 v;

	if (!F.dev.kind->host_irqs)
		return;
	F.proc_checks++;
	n = irq_proc_dev_names(&F.dev, got, sizeof(got));
	if (F.m.active == INTX)
		expect = 1;
	else if (F.m.active != NONE)
		for (v = 0; v < MAXVEC; v++)
			expect += F.m.vec[v].on &&
				  irq_dev_host_vector(&F.dev, F.m.active, v);
	if (n != expect)
		fail("/proc/interrupts lists %d vectors of %s, expected %d (first: %s)\n",
		     n, F.dev.name, expect, n ? got : "-");
	for (i = 0; F.m.active != NONE && i < MAXVEC; i++) {
		char *p = got;
		int k;

		if (F.m.active != INTX ? !F.m.vec[i].on : i)
			continue;
		if (!irq_dev_host_vector(&F.dev, F.m.active, i))
			continue;
		irq_dev_irq_name(&F.dev, F.m.active, i, want, sizeof(want));
		for (k = 0; k < n && strcmp(p, want); k++)
			p += strlen(p) + 1;
		if (k == n)
			fail("/proc/interrupts has no %s\n", want);
	}
}

static void setup_fds(void)
{
	int i;

	for (i = 0; i < NPOOL; i++) {
		F.pool[i] = eventfd_nonblock();
		F.dup[i] = dup(F.pool[i]);
		VFIO_ASSERT_GE(F.dup[i], 0);
	}
	F.unmask_efd = eventfd_nonblock();
	F.devnull = open("/dev/null", O_RDONLY);
	VFIO_ASSERT_GE(F.devnull, 0);
	/* An fd number that is not open (nothing is opened after this). */
	F.badfd = open("/dev/null", O_RDONLY);
	VFIO_ASSERT_GE(F.badfd, 0);
	VFIO_ASSERT_EQ(close(F.badfd), 0);

	F.pagesz = sysconf(_SC_PAGESIZE);
	F.page = mmap(NULL, 2 * F.pagesz, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	VFIO_ASSERT_NE(F.page, MAP_FAILED);
	VFIO_ASSERT_EQ(mprotect(F.page + F.pagesz, F.pagesz, PROT_NONE), 0);
}

/* Back to nothing enabled; everything the model expects has arrived. */
static void teardown_all(void)
{
	struct req r = { .argsz = SET_MINSZ, .avail = MAXDATA };
	int fd = -1;

	log_op("teardown");
	if (F.m.active != NONE) {
		r.flags = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_NONE;
		r.index = F.m.active;
		do_set_irqs(&r, NULL, 0);
	}
	for (r.index = ERR; r.index <= REQ; r.index++) {
		if (!count_of(r.index))
			continue;
		r.flags = VFIO_IRQ_SET_ACTION_TRIGGER |
			  VFIO_IRQ_SET_DATA_EVENTFD;
		r.count = 1;
		r.argsz = SET_MINSZ + sizeof(int);
		do_set_irqs(&r, &fd, sizeof(fd));
	}
	check_counts();
	check_proc();
}

int main(int argc, char *argv[])
{
	static char before[1 << 16], after[1 << 16];
	const char *kind, *arg;
	u64 val;
	unsigned long i, total = 0;
	int nbefore, nafter;

	if (argc < 2) {
		fprintf(stderr, "usage: %s edu|igb|mtty|vdev [<PCI address>]\n",
			argv[0]);
		return KSFT_FAIL;
	}
	kind = argv[1];
	arg = argc > 2 ? argv[2] : NULL;
	F.arg = arg;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(1);

	if (!irq_test_param("FUZZ_SEED", "vfio_intr.fuzz_seed", &F.seed))
		F.seed = ((u64)time(NULL) << 20) ^ getpid();
	F.rng = F.seed ?: 1;
	if (!irq_test_param("FUZZ_ITERS", "vfio_intr.fuzz_iters", &val))
		val = 30000;
	F.iters = val;
	if (irq_test_param("FUZZ_SCALE", "vfio_intr.fuzz_scale", &val) && val)
		F.iters *= val;
	printf("# seed %llu (replay: FUZZ_SEED=%llu, or VM_APPEND=vfio_intr.fuzz_seed=%llu), %lu operations\n",
	       (unsigned long long)F.seed, (unsigned long long)F.seed,
	       (unsigned long long)F.seed, F.iters);

	nbefore = irq_proc_lines(before, sizeof(before));
	irq_dev_open(&F.dev, kind, arg);
	setup_fds();
	model_reset();
	F.dyn_msix = count_of(MSIX) &&
		     !(F.dev.info[MSIX].flags & VFIO_IRQ_INFO_NORESIZE);
	F.reset_ret = irq_dev_reset(F.dev.fd);
	F.dev.kind->setup(&F.dev, F.dev.fd);
	printf("# %s %s: counts INTx %u MSI %u MSI-X %u%s ERR %u REQ %u, reset %d\n",
	       kind, F.dev.name, count_of(INTX), count_of(MSI), count_of(MSIX),
	       F.dyn_msix ? " (dynamic)" : "", count_of(ERR), count_of(REQ),
	       F.reset_ret);

	for (F.op = 0; F.op < F.iters; F.op++) {
		u32 r = below(1000);

		if (r < 450)
			op_set_irqs();
		else if (r < 700)
			op_set_valid();
		else if (r < 800)
			do_get_irq_info();
		else if (r < 920)
			op_fire();
		else if (r < 960)
			op_disintx();
		else if (r < 963)
			op_reset();
		else if (r < 964)
			op_reopen();
		else
			op_set_irqs();

		if (!(F.op % 8))
			check_counts();
		if (F.op && !(F.op % 10000))
			printf("# %lu operations, %lu ioctls\n", F.op, F.calls);
		if (!(F.op % 512))
			check_proc();
	}
	teardown_all();
	irq_dev_close(&F.dev);
	for (i = 0; i < NPOOL; i++) {
		total += F.expect[i];
		close(F.pool[i]);
		close(F.dup[i]);
	}

	nafter = irq_proc_lines(after, sizeof(after));
	if (nafter != nbefore || memcmp(before, after, sizeof(before))) {
		printf("# /proc/interrupts: %d lines before, %d after\n",
		       nbefore, nafter);
		ksft_test_result_fail("/proc/interrupts not back to its starting lines\n");
		ksft_exit_fail();
	}

	printf("# %lu ioctls (%lu SET_IRQS ok, %lu failed; %lu GET_IRQ_INFO), %lu device interrupts\n",
	       F.calls, F.set_ok, F.set_err, F.info_calls, F.fires);
	printf("# %lu signals (%lu counted), %lu resets, %lu reopens, %lu INTx-disable writes, %lu /proc checks\n",
	       F.signals, total, F.resets, F.reopens, F.disintx,
	       F.proc_checks);
	printf("# errnos:");
	for (i = 1; i < ARRAY_SIZE(F.errnos); i++)
		if (F.errnos[i])
			printf(" %s %lu", strerrorname_np(i) ?: "?", F.errnos[i]);
	printf("\n");
	ksft_test_result_pass("fuzz %s seed %llu\n", kind,
			      (unsigned long long)F.seed);
	ksft_exit_pass();
}
