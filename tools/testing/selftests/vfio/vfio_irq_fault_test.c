// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation failures inside VFIO_DEVICE_SET_IRQS, injected one at a time
 * with /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION, FAILSLAB,
 * FAIL_PAGE_ALLOC, configs/fault.config): for N = 1, 2, ... the Nth
 * allocation of the request fails, until the request runs without reaching
 * N allocations and must then succeed.
 *
 * After every failure the interrupt state seen through the uAPI (which
 * vectors loop back to which eventfd, whether the index is enabled at all,
 * the device's host vectors in /proc/interrupts) must be the state before
 * the request or exactly the state upstream documents for that failure
 * (docs/design.rst: a failed block enable leaves the index disabled; a
 * failed block update leaves the vectors from start up to the failing one
 * unset and the rest as they were), and every vector that still has a
 * trigger must still receive the device's interrupt.  Leaks are left to the
 * kmemleak scan at the end of the boot.
 *
 *   vfio_irq_fault_test <kind> [<PCI address>]  (kind: edu, igb, mtty, vdev)
 *
 * vdev: MSI-X enable and vector add reach the IMS backend (an IMS entry
 * and a host interrupt per vector but for the emulated vector 0).  And
 * siov/create of another virtual device: a failure leaves no device, a
 * success a device with its VFIO device.
 *
 * FAULT_REQUIRED=1: a kernel without fail-nth is a failure, not a skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/ioctl.h>

#include <linux/bits.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/siov_edu.h>
#include <libvfio/vfio_irq_dev.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest.h"

#define INTX	VFIO_PCI_INTX_IRQ_INDEX
#define MSI	VFIO_PCI_MSI_IRQ_INDEX
#define MSIX	VFIO_PCI_MSIX_IRQ_INDEX
#define REQ	VFIO_PCI_REQ_IRQ_INDEX

#define NSLOT	8		/* A0..A3 before, B0..B3 after */
#define A(n)	(n)
#define B(n)	(4 + (n))
#define X	(-1)		/* no trigger */
#define MAXV	4
#define MAXN	5000		/* allocations of one request, at most */
#define DISABLED	(~0u)	/* state: index not enabled */

/* One request and the state it starts from. */
struct scenario {
	const char *name;
	u32 index;
	u32 nvec;		/* vectors the index needs */
	bool pre_enabled;	/* enable @pre first (one request, start 0) */
	int pre[MAXV];		/* slots of vectors 0..MAXV-1 before */
	u32 start, count;
	int op[MAXV];		/* slots of the request */
	bool single;		/* failure leaves the state before, only */
};

static const struct scenario scenarios[] = {
	{ "intx enable", INTX, 1, false, { X }, 0, 1, { B(0) }, true },
	{ "intx swap", INTX, 1, true, { A(0) }, 0, 1, { B(0) }, true },
	{ "msi enable", MSI, 1, false, { X }, 0, 1, { B(0) } },
	{ "msi replace", MSI, 1, true, { A(0) }, 0, 1, { B(0) } },
	/*
	 * Two vectors: a failure in the second unwinds the first, as in any
	 * later one.  Each of the N allocations of the request fails once and
	 * each run repeats the whole request, so its cost grows with the square
	 * of the vectors (4 vectors: 243 failures on a virtual device).
	 */
	{ "msix enable block", MSIX, 2, false, { X, X },
	  0, 2, { B(0), B(1) } },
	{ "msix add vector", MSIX, 4, true, { A(0), X, X, X },
	  3, 1, { B(3) } },
	{ "msix replace vector", MSIX, 2, true, { A(0), A(1) },
	  0, 1, { B(0) } },
	{ "msix update block", MSIX, 3, true, { A(0), A(1), A(2) },
	  0, 3, { B(0), B(1), B(2) } },
};

static struct irq_dev dev;
static int slot_fd[NSLOT];
static int failnth = -1;
static unsigned long injected, tolerated, checks;
static unsigned long errnos[160];

/* State: for each vector, the slot that loops back on it (-1: none). */
struct state {
	bool enabled;
	int slot[MAXV];
};

static bool fail_nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(failnth, buf, len, 0) == len;
}

/* true if the armed failure was injected; disarms it otherwise */
static bool fail_nth_fired(void)
{
	char buf[16] = {};

	VFIO_ASSERT_GT(pread(failnth, buf, sizeof(buf) - 1, 0), 0);
	if (atoi(buf) == 0)
		return true;
	VFIO_ASSERT_TRUE(fail_nth_arm(0));
	return false;
}

static int set_irqs(u32 flags, u32 index, u32 start, u32 count,
		    const int *fds)
{
	u8 buf[sizeof(struct vfio_irq_set) + MAXV * sizeof(int)];
	struct vfio_irq_set *hdr = (void *)buf;
	size_t size = (flags & VFIO_IRQ_SET_DATA_EVENTFD) ?
		      count * sizeof(int) : 0;

	hdr->argsz = sizeof(*hdr) + size;
	hdr->flags = flags;
	hdr->index = index;
	hdr->start = start;
	hdr->count = count;
	memcpy(hdr->data, fds, size);
	return ioctl(dev.fd, VFIO_DEVICE_SET_IRQS, hdr) ? -errno : 0;
}

static void slots_to_fds(const int *slots, u32 n, int *fds)
{
	u32 i;

	for (i = 0; i < n; i++)
		fds[i] = slots[i] < 0 ? -1 : slot_fd[slots[i]];
}

static void drain_all(void)
{
	int i;

	for (i = 0; i < NSLOT; i++)
		eventfd_drain(slot_fd[i]);
}

/* What the uAPI shows: loopback of every vector of @sc's index. */
static void observe(const struct scenario *sc, struct state *st)
{
	char names[4096];
	int i, s, ret, n, nproc;

	memset(st, 0xff, sizeof(*st));
	drain_all();
	ret = set_irqs(IRQ_TRIGGER_NONE, sc->index, 0, sc->nvec, NULL);
	if (ret == -EINVAL) {
		st->enabled = false;
	} else {
		VFIO_ASSERT_EQ(ret, 0, "loopback of %s\n", sc->name);
		st->enabled = true;
	}
	for (s = 0; s < NSLOT; s++) {
		u64 c = eventfd_drain(slot_fd[s]);

		if (!c)
			continue;
		/* every slot backs one vector in these scenarios */
		VFIO_ASSERT_EQ(c, 1, "%s: slot %d signalled %llu times\n",
			       sc->name, s, (unsigned long long)c);
		VFIO_ASSERT_TRUE(st->enabled);
		st->slot[s % 4] = s;
	}

	if (!dev.kind->host_irqs)
		return;
	nproc = irq_proc_dev_names(&dev, names, sizeof(names));
	n = 0;
	if (st->enabled && sc->index == INTX)
		n = 1;
	else if (st->enabled)
		for (i = 0; i < MAXV; i++)
			n += st->slot[i] >= 0 &&
			     irq_dev_host_vector(&dev, sc->index, i);
	VFIO_ASSERT_EQ(nproc, n, "%s: /proc/interrupts lists %d vectors of %s, loopback shows %d\n",
		       sc->name, nproc, dev.name, n);
}

static bool state_eq(const struct state *a, const struct state *b,
		     u32 nvec)
{
	u32 i;

	if (a->enabled != b->enabled)
		return false;
	for (i = 0; a->enabled && i < nvec; i++)
		if (a->slot[i] != b->slot[i])
			return false;
	return true;
}

static void state_str(const struct state *st, u32 nvec, char *buf,
		      size_t size)
{
	size_t n;
	u32 i;

	if (!st->enabled) {
		snprintf(buf, size, "disabled");
		return;
	}
	n = snprintf(buf, size, "{");
	for (i = 0; i < nvec; i++)
		n += snprintf(buf + n, size - n, " %s%d",
			      st->slot[i] < 0 ? "-" :
			      st->slot[i] < 4 ? "A" : "B",
			      st->slot[i] < 0 ? (int)i : st->slot[i] % 4);
	snprintf(buf + n, size - n, " }");
}

static void state_of(const struct scenario *sc, bool enabled,
		     const int *slots, struct state *st)
{
	u32 i;

	memset(st, 0xff, sizeof(*st));
	st->enabled = enabled;
	for (i = 0; i < sc->nvec; i++)
		st->slot[i] = slots[i];
}

/* Every vector with a trigger still gets the device's interrupt. */
static void check_delivery(const struct scenario *sc, const struct state *st)
{
	struct pollfd pfd = { .events = POLLIN };
	u32 v;

	if (!st->enabled || !(dev.kind->fire_indexes & BIT(sc->index)))
		return;
	for (v = 0; v < sc->nvec; v++) {
		if (st->slot[v] < 0)
			continue;
		drain_all();
		VFIO_ASSERT_TRUE(dev.kind->fire(&dev, dev.fd, sc->index, v));
		pfd.fd = slot_fd[st->slot[v]];
		VFIO_ASSERT_EQ(poll(&pfd, 1, VFIO_IRQ_WAIT_MS), 1,
			       "%s: vector %u lost its interrupt\n", sc->name,
			       v);
		VFIO_ASSERT_EQ(eventfd_drain(pfd.fd), 1);
		dev.kind->quiesce(&dev, dev.fd);
		checks++;
		/* automasked INTx: unmask for the next check */
		if (sc->index == INTX)
			VFIO_ASSERT_EQ(set_irqs(IRQ_UNMASK_NONE, INTX, 0, 1,
						NULL), 0);
	}
}

static void teardown(const struct scenario *sc)
{
	int ret = set_irqs(IRQ_TRIGGER_NONE, sc->index, 0, 0, NULL);

	VFIO_ASSERT_TRUE(ret == 0 || ret == -EINVAL);
}

static void build_pre(const struct scenario *sc)
{
	int fds[MAXV];

	teardown(sc);
	if (!sc->pre_enabled)
		return;
	slots_to_fds(sc->pre, sc->nvec, fds);
	VFIO_ASSERT_EQ(set_irqs(IRQ_TRIGGER_EVENTFD, sc->index, 0, sc->nvec,
				fds), 0, "%s: setting up\n", sc->name);
}

/* Is @got the state before, or one upstream documents for a failure? */
static bool allowed_after_failure(const struct scenario *sc,
				  const struct state *pre,
				  const struct state *got)
{
	struct state d;
	u32 i, j;

	if (state_eq(got, pre, sc->nvec))
		return true;
	if (sc->single)
		return false;
	if (!sc->pre_enabled)
		return !got->enabled;	/* failed enable: disabled */
	/* vectors start..start+i unset, the rest of the block unchanged */
	for (i = 0; i < sc->count; i++) {
		d = *pre;
		for (j = 0; j <= i; j++)
			d.slot[sc->start + j] = -1;
		if (state_eq(got, &d, sc->nvec))
			return true;
	}
	return false;
}

/* Returns the number of allocation points of the request. */
static unsigned int run_scenario(const struct scenario *sc)
{
	struct state pre, success, got;
	int fds[MAXV], post[MAXV];
	char s1[64], s2[64];
	unsigned int n;
	u32 i;
	int ret;
	bool fired;

	memcpy(post, sc->pre, sizeof(post));
	for (i = 0; i < sc->count; i++)
		post[sc->start + i] = sc->op[i];
	state_of(sc, sc->pre_enabled, sc->pre, &pre);
	state_of(sc, true, post, &success);
	slots_to_fds(sc->op, sc->count, fds);

	for (n = 1; n < MAXN; n++) {
		build_pre(sc);
		observe(sc, &got);
		VFIO_ASSERT_TRUE(state_eq(&got, &pre, sc->nvec),
				 "%s: state before is wrong\n", sc->name);

		VFIO_ASSERT_TRUE(fail_nth_arm(n));
		ret = set_irqs(IRQ_TRIGGER_EVENTFD, sc->index, sc->start,
			       sc->count, fds);
		fired = fail_nth_fired();

		observe(sc, &got);
		state_str(&got, sc->nvec, s1, sizeof(s1));
		if (!fired) {
			VFIO_ASSERT_EQ(ret, 0, "%s: failed with nothing injected\n",
				       sc->name);
			state_str(&success, sc->nvec, s2, sizeof(s2));
			VFIO_ASSERT_TRUE(state_eq(&got, &success, sc->nvec),
					 "%s: success left %s, expected %s\n",
					 sc->name, s1, s2);
			check_delivery(sc, &got);
			return n - 1;
		}
		injected++;
		if (ret < 0 && -ret < (int)ARRAY_SIZE(errnos))
			errnos[-ret]++;
		if (!ret) {
			/* the failed allocation was optional */
			tolerated++;
			state_str(&success, sc->nvec, s2, sizeof(s2));
			VFIO_ASSERT_TRUE(state_eq(&got, &success, sc->nvec),
					 "%s: allocation %u failed, success left %s, expected %s\n",
					 sc->name, n, s1, s2);
		} else {
			state_str(&pre, sc->nvec, s2, sizeof(s2));
			VFIO_ASSERT_TRUE(allowed_after_failure(sc, &pre, &got),
					 "%s: allocation %u failed (%d): state %s, before %s\n",
					 sc->name, n, ret, s1, s2);
		}
		check_delivery(sc, &got);
	}
	VFIO_ASSERT_TRUE(false, "%s: more than %d allocations\n", sc->name,
			 MAXN);
	return 0;
}

/* REQ eventfd and INTx unmask eventfd: a failure installs nothing. */
static unsigned int run_notify(void)
{
	int fd = slot_fd[B(0)], minus1 = -1, ret;
	unsigned int n;
	bool fired;

	for (n = 1; n < MAXN; n++) {
		VFIO_ASSERT_EQ(set_irqs(IRQ_TRIGGER_EVENTFD, REQ, 0, 1,
					&minus1), 0);
		VFIO_ASSERT_TRUE(fail_nth_arm(n));
		ret = set_irqs(IRQ_TRIGGER_EVENTFD, REQ, 0, 1, &fd);
		fired = fail_nth_fired();
		drain_all();
		/* loopback: -EINVAL if no REQ eventfd is registered */
		if (set_irqs(IRQ_TRIGGER_NONE, REQ, 0, 1, NULL) == 0) {
			VFIO_ASSERT_EQ(ret, 0, "REQ: failed (%d) but registered\n",
				       ret);
			VFIO_ASSERT_EQ(eventfd_drain(fd), 1);
		} else {
			VFIO_ASSERT_NE(ret, 0, "REQ: registered nothing\n");
		}
		if (!fired) {
			VFIO_ASSERT_EQ(ret, 0);
			break;
		}
		injected++;
	}
	VFIO_ASSERT_EQ(set_irqs(IRQ_TRIGGER_EVENTFD, REQ, 0, 1, &minus1), 0);
	return n - 1;
}

static unsigned int run_unmask_eventfd(void)
{
	int trig = slot_fd[A(0)], unmask = slot_fd[B(0)], minus1 = -1, ret;
	unsigned int n;
	bool fired;

	for (n = 1; n < MAXN; n++) {
		VFIO_ASSERT_EQ(set_irqs(IRQ_TRIGGER_EVENTFD, INTX, 0, 1,
					&trig), 0);
		VFIO_ASSERT_TRUE(fail_nth_arm(n));
		ret = set_irqs(IRQ_UNMASK_EVENTFD, INTX, 0, 1, &unmask);
		fired = fail_nth_fired();
		/* installed exactly if it succeeded: a second install is busy */
		VFIO_ASSERT_EQ(set_irqs(IRQ_UNMASK_EVENTFD, INTX, 0, 1,
					&unmask), ret ? 0 : -EBUSY,
			       "unmask eventfd: allocation %u, ret %d\n", n,
			       ret);
		VFIO_ASSERT_EQ(set_irqs(IRQ_UNMASK_EVENTFD, INTX, 0, 1,
					&minus1), 0);
		VFIO_ASSERT_EQ(set_irqs(IRQ_TRIGGER_NONE, INTX, 0, 0, NULL),
			       0);
		if (!fired) {
			VFIO_ASSERT_EQ(ret, 0);
			break;
		}
		injected++;
	}
	return n - 1;
}

/* vdev: siov/create fails whole or gives a device with its VFIO device */
static unsigned int run_create(void)
{
	char dir[PATH_MAX], vfio_dev[PATH_MAX + 16];
	int id = dev.vdev_id + 1, ret;
	unsigned int n;
	bool fired;

	siov_edu_vdev_path(dir, sizeof(dir), id);
	snprintf_assert(vfio_dev, sizeof(vfio_dev), "%s/vfio-dev", dir);
	for (n = 1; n < MAXN; n++) {
		VFIO_ASSERT_NE(access(dir, F_OK), 0);
		VFIO_ASSERT_TRUE(fail_nth_arm(n));
		ret = siov_edu_create(dev.parent, id, 2);
		fired = fail_nth_fired();
		if (ret) {
			VFIO_ASSERT_TRUE(fired, "create failed (%d) with nothing injected\n",
					 ret);
			VFIO_ASSERT_NE(access(dir, F_OK), 0,
				       "create: allocation %u failed (%d), the device is there\n",
				       n, ret);
			if (-ret < (int)ARRAY_SIZE(errnos))
				errnos[-ret]++;
		} else {
			VFIO_ASSERT_EQ(access(vfio_dev, F_OK), 0,
				       "create: allocation %u %s, no VFIO device\n", n,
				       fired ? "failed" : "not failed");
			VFIO_ASSERT_EQ(siov_edu_remove(dev.parent, id), 0);
			tolerated += fired;
		}
		if (!fired)
			break;
		injected++;
	}
	VFIO_ASSERT_LT(n, MAXN, "create: more than %d allocations\n", MAXN);
	return n - 1;
}

static const char * const knobs[][2] = {
	{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/failslab/verbose", "0" },
	{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N" },
	{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
	{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
};

static char saved[ARRAY_SIZE(knobs)][32];

static int knob_rw(const char *path, char *old, size_t size, const char *new)
{
	int fd = open(path, O_RDWR);
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (old) {
		n = read(fd, old, size - 1);
		old[n > 0 ? n : 0] = '\0';
	}
	/* simple_attr files are not seekable: write(), not pwrite() */
	n = write(fd, new, strlen(new));
	close(fd);
	return n < 0 ? -errno : 0;
}

int main(int argc, char *argv[])
{
	const char *req = getenv("FAULT_REQUIRED");
	unsigned int n;
	size_t i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s edu|igb|mtty|vdev [<PCI address>]\n",
			argv[0]);
		return KSFT_FAIL;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();

	failnth = open("/proc/thread-self/fail-nth", O_RDWR);
	for (i = 0; failnth >= 0 && i < ARRAY_SIZE(knobs); i++)
		if (knob_rw(knobs[i][0], saved[i], sizeof(saved[i]),
			    knobs[i][1]))
			break;
	if (failnth < 0 || i < ARRAY_SIZE(knobs)) {
		printf("# no fail-nth or fault injection debugfs (%s: %s)\n",
		       failnth < 0 ? "fail-nth" : knobs[i][0],
		       strerror(errno));
		if (req && atoi(req))
			ksft_exit_fail_msg("fault injection required\n");
		ksft_exit_skip("kernel without CONFIG_FAULT_INJECTION\n");
	}

	irq_dev_open(&dev, argv[1], argc > 2 ? argv[2] : NULL);
	for (i = 0; i < NSLOT; i++)
		slot_fd[i] = eventfd_nonblock();

	ksft_set_plan(ARRAY_SIZE(scenarios) + 3);
	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		const struct scenario *sc = &scenarios[i];

		if (irq_dev_count(&dev, sc->index) < sc->nvec ||
		    !(dev.kind->fire_indexes & BIT(sc->index))) {
			ksft_test_result_skip("%s: %s lacks it\n", sc->name,
					      dev.kind->name);
			continue;
		}
		n = run_scenario(sc);
		teardown(sc);
		ksft_test_result_pass("%s: %u allocation failures\n",
				      sc->name, n);
	}
	if (irq_dev_count(&dev, REQ)) {
		n = run_notify();
		ksft_test_result_pass("req eventfd: %u allocation failures\n",
				      n);
	} else {
		ksft_test_result_skip("req eventfd: %s lacks it\n",
				      dev.kind->name);
	}
	if (dev.kind->fire_indexes & BIT(INTX) && irq_dev_count(&dev, INTX)) {
		n = run_unmask_eventfd();
		ksft_test_result_pass("intx unmask eventfd: %u allocation failures\n",
				      n);
	} else {
		ksft_test_result_skip("intx unmask eventfd: %s lacks it\n",
				      dev.kind->name);
	}
	if (dev.vdev_id) {
		n = run_create();
		ksft_test_result_pass("siov create: %u allocation failures\n", n);
	} else {
		ksft_test_result_skip("siov create: %s is no virtual device\n",
				      dev.kind->name);
	}

	irq_dev_close(&dev);
	for (i = 0; i < NSLOT; i++)
		close(slot_fd[i]);
	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		knob_rw(knobs[i][0], NULL, 0, saved[i]);
	printf("# %lu injected failures (%lu tolerated), %lu deliveries checked; errnos:",
	       injected, tolerated, checks);
	for (i = 1; i < ARRAY_SIZE(errnos); i++)
		if (errnos[i])
			printf(" %s %lu", strerrorname_np(i) ?: "?", errnos[i]);
	printf("\n");
	ksft_finished();
}
