// SPDX-License-Identifier: GPL-2.0-only
/*
 * Races on the VFIO interrupt uAPI of one device, for a bounded amount of
 * work (iteration counts, not wall time):
 *
 *   two threads   SET_IRQS enable / update / disable of INTx, MSI, MSI-X,
 *                 INTx mask / unmask / unmask eventfd, ERR / REQ
 *   one thread    device interrupts, loopback, GET_IRQ_INFO, unmask eventfd
 *                 writes
 *   one thread    VFIO_DEVICE_RESET and config-space writes: virtual INTx
 *                 disable, MSI and MSI-X enable (and MSI-X mask-all) bits
 *   one thread    close and reopen of the device fd (the last close really
 *                 closes the device: nothing is mmap'ed)
 *
 * On a virtual device (vdev) MASK/UNMASK go to MSI-X vectors, and two more
 * rounds follow, each with the first four threads on the open device while
 * it is being removed: siov/remove of the device, then (on a new one) unbind
 * of the parent.  Both ask the user to let go (REQ) and block until the
 * device fd is closed; then they must complete.
 *
 * Pass: no kernel splat (the harness checks the log), no hang (timeout),
 * every ioctl answers with an errno the uAPI can give, the device closes
 * and /proc/interrupts is back to its starting set of lines; leaks of
 * memory, eventfds or interrupts are found by the kmemleak scan at the end
 * of the boot.
 *
 *   vfio_irq_race_test <kind> [<PCI address>]  (kind: edu, igb, mtty, vdev)
 *
 * RACE_SEED and RACE_SCALE (percent of the default work, default 100), from
 * the environment or the kernel command line (vfio_intr.race_seed=,
 * vfio_intr.race_scale=).  The interleaving is not reproducible; the seed
 * only fixes each thread's sequence of requests.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/futex.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/siov_edu.h>
#include <libvfio/vfio_irq_dev.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest.h"

#define NPOOL	8
#define MAXERR	160
/* Iterations of each thread while the device is being removed */
#define REMOVAL_ITERS	300

static struct irq_dev dev;
static atomic_int cur_fd = -1;
static int pool[NPOOL], unmask_efd;
static u64 seed;
static unsigned int scale = 100;
static atomic_ulong errnos[MAXERR], calls, bad;

struct worker {
	const char *name;
	void *(*fn)(void *arg);
	unsigned long iters;	/* default work, scaled by RACE_SCALE */
	u64 rng;
	pthread_t thread;
};

static u64 rnd(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545F4914F6CDD1DULL;
}

static u32 below(struct worker *w, u32 n)
{
	return n ? rnd(w) % n : 0;
}

/*
 * The fd to use, or -1 while the device is being reopened: then sleep until
 * the reopen thread publishes the new one (publish_fd()).  Spinning in
 * sched_yield() instead cost the igb run 8% more guest instructions under
 * the debug kernel and raced nothing more: a thread that took the old fd
 * before the reopen still uses it while the device closes.
 */
static int get_fd(void)
{
	int fd = atomic_load(&cur_fd);

	if (fd < 0)
		syscall(SYS_futex, &cur_fd, FUTEX_WAIT_PRIVATE, fd, NULL, NULL, 0);
	return fd;
}

static void publish_fd(int fd)
{
	atomic_store(&cur_fd, fd);
	syscall(SYS_futex, &cur_fd, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* Errors the uAPI can answer under concurrency; anything else is a bug. */
static void account(const char *what, int ret, bool reset)
{
	atomic_fetch_add(&calls, 1);
	if (ret > 0 || ret < -MAXERR + 1) {
		printf("# %s returned %d\n", what, ret);
		atomic_fetch_add(&bad, 1);
		return;
	}
	atomic_fetch_add(&errnos[-ret], 1);
	switch (-ret) {
	case 0:
	case EINVAL:	/* state changed under us */
	case EBADF:	/* device fd closed by the reopen thread */
	case ENOTTY:	/* the fd number was reused */
	case EBUSY:	/* unmask eventfd already installed */
	case ERANGE:	/* enable with 0 vectors */
		return;
	case EAGAIN:	/* reset: device lock contended */
		if (reset)
			return;
	}
	printf("# %s: unexpected %s\n", what, strerrorname_np(-ret) ?: "?");
	atomic_fetch_add(&bad, 1);
}

static int set_irqs(int fd, u32 flags, u32 index, u32 start, u32 count,
		    const void *data, size_t size)
{
	u8 buf[sizeof(struct vfio_irq_set) + 64 * sizeof(int)];
	struct vfio_irq_set *hdr = (void *)buf;

	hdr->argsz = sizeof(*hdr) + size;
	hdr->flags = flags;
	hdr->index = index;
	hdr->start = start;
	hdr->count = count;
	memcpy(hdr->data, data, size);
	return ioctl(fd, VFIO_DEVICE_SET_IRQS, hdr) ? -errno : 0;
}

static u32 vector_index(struct worker *w)
{
	u32 index;
	int tries;

	for (tries = 0; tries < 8; tries++) {
		index = below(w, 3);
		if (irq_dev_count(&dev, index))
			return index;
	}
	return VFIO_PCI_INTX_IRQ_INDEX;
}

/* MASK or UNMASK (@flags): of INTx, or of vectors of a maskable index */
static int mask_req(struct worker *w, int fd, u32 flags, u32 index, u32 n)
{
	u32 start;

	if (index == VFIO_PCI_INTX_IRQ_INDEX ||
	    !(dev.info[index].flags & VFIO_IRQ_INFO_MASKABLE))
		return set_irqs(fd, flags, VFIO_PCI_INTX_IRQ_INDEX, 0, 1,
				NULL, 0);
	start = below(w, n);
	return set_irqs(fd, flags, index, start, 1 + below(w, n - start),
			NULL, 0);
}

/* SET_IRQS: enable, update, disable, mask, unmask, ERR/REQ. */
static void *setirqs_thread(void *arg)
{
	struct worker *w = arg;
	int fds[64], fd, ret;
	unsigned long i;
	u32 index, n, start, count, k;

	for (i = 0; i < w->iters; i++) {
		fd = get_fd();
		if (fd < 0) {
			i--;
			continue;
		}
		index = vector_index(w);
		n = irq_dev_count(&dev, index);
		if (!n)
			continue;
		switch (below(w, 10)) {
		case 0:
			ret = set_irqs(fd, IRQ_TRIGGER_NONE, index, 0, 0,
				       NULL, 0);
			break;
		case 1:
			ret = mask_req(w, fd, IRQ_MASK_NONE, index, n);
			break;
		case 2:
			ret = mask_req(w, fd, IRQ_UNMASK_NONE, index, n);
			break;
		case 3:
			fds[0] = below(w, 2) ? unmask_efd : -1;
			ret = set_irqs(fd, IRQ_UNMASK_EVENTFD, 0, 0, 1, fds,
				       sizeof(int));
			break;
		case 4:
			index = VFIO_PCI_ERR_IRQ_INDEX + below(w, 2);
			fds[0] = below(w, 3) ? pool[below(w, NPOOL)] : -1;
			ret = set_irqs(fd, IRQ_TRIGGER_EVENTFD, index, 0, 1,
				       fds, sizeof(int));
			break;
		default:
			start = below(w, n);
			count = 1 + below(w, n - start);
			if (count > 64)
				count = 64;
			for (k = 0; k < count; k++)
				fds[k] = below(w, 6) ? pool[below(w, NPOOL)] :
						       -1;
			ret = set_irqs(fd, IRQ_TRIGGER_EVENTFD, index, start,
				       count, fds, count * sizeof(int));
			break;
		}
		account("SET_IRQS", ret, false);
	}
	return NULL;
}

/* Device interrupts, loopback, GET_IRQ_INFO, unmask eventfd writes. */
static void *fire_thread(void *arg)
{
	struct worker *w = arg;
	struct vfio_irq_info info;
	unsigned long i;
	u32 index, v;
	int fd, ret;

	for (i = 0; i < w->iters; i++) {
		fd = get_fd();
		if (fd < 0) {
			i--;
			continue;
		}
		index = vector_index(w);
		v = below(w, irq_dev_count(&dev, index));
		switch (below(w, 5)) {
		case 0:
		case 1:
			/* a slow one (a DMA) only now and then */
			if (v && dev.kind->slow_fire_div > 1 &&
			    below(w, dev.kind->slow_fire_div))
				break;
			if (dev.kind->fire(&dev, fd, index, v))
				dev.kind->quiesce(&dev, fd);
			break;
		case 2:
			ret = set_irqs(fd, IRQ_TRIGGER_NONE, index, v, 1,
				       NULL, 0);
			account("loopback", ret, false);
			break;
		case 3:
			info = (struct vfio_irq_info){
				.argsz = sizeof(info),
				.index = below(w, VFIO_PCI_NUM_IRQS),
			};
			ret = ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, &info) ?
			      -errno : 0;
			account("GET_IRQ_INFO", ret, false);
			break;
		default:
			VFIO_ASSERT_EQ(write(unmask_efd, &(u64){1}, 8), 8);
			break;
		}
	}
	return NULL;
}

static void toggle(int fd, u64 off, u16 bits, struct worker *w)
{
	u16 val = irq_dev_config_read(&dev, fd, off, 2);

	val ^= bits & (u16)rnd(w);
	irq_dev_config_write(&dev, fd, off, val, 2);
}

/* Reset and config-space writes. */
static void *config_thread(void *arg)
{
	struct worker *w = arg;
	unsigned long i;
	int fd;

	for (i = 0; i < w->iters; i++) {
		fd = get_fd();
		if (fd < 0) {
			i--;
			continue;
		}
		switch (below(w, 4)) {
		case 0:
			account("VFIO_DEVICE_RESET", irq_dev_reset(fd), true);
			dev.kind->setup(&dev, fd);
			break;
		case 1:
			toggle(fd, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, w);
			break;
		case 2:
			if (dev.msi_cap)
				toggle(fd, dev.msi_cap + PCI_MSI_FLAGS,
				       PCI_MSI_FLAGS_ENABLE, w);
			break;
		default:
			if (dev.msix_cap)
				toggle(fd, dev.msix_cap + PCI_MSIX_FLAGS,
				       PCI_MSIX_FLAGS_ENABLE |
				       PCI_MSIX_FLAGS_MASKALL, w);
			break;
		}
	}
	return NULL;
}

/* Close every fd of the device (so it really closes) and open it again. */
static void *reopen_thread(void *arg)
{
	struct worker *w = arg;
	unsigned long i, n;
	int fd;

	for (i = 0; i < w->iters; i++) {
		/* let the others run on this fd for a while */
		while (below(w, 64))
			sched_yield();
		fd = atomic_exchange(&cur_fd, -1);
		VFIO_ASSERT_EQ(close(fd), 0);
		/*
		 * A cdev is open once at a time: until the threads still in an
		 * ioctl on the old fd have returned, the device is not closed
		 * and the bind of the new fd fails with -EINVAL.
		 */
		for (n = 0; dev.iommu && n < 1000000; n++) {
			fd = irq_dev_open_fd(&dev);
			if (fd != -EINVAL)
				break;
			sched_yield();
		}
		if (!dev.iommu)
			fd = irq_dev_open_fd(&dev);
		VFIO_ASSERT_GE(fd, 0, "reopen %s: %s\n", dev.name,
			       strerror(-fd));
		irq_dev_init_fd(&dev, fd);
		publish_fd(fd);
	}
	return NULL;
}

static struct worker workers[] = {
	{ "setirqs-a", setirqs_thread, 3000 },
	{ "setirqs-b", setirqs_thread, 3000 },
	{ "fire", fire_thread, 3000 },
	{ "config", config_thread, 600 },
	{ "reopen", reopen_thread, 40 },
};

/* Run @n workers from @first to completion on the current fd. */
static void run_workers(struct worker *first, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		VFIO_ASSERT_EQ(pthread_create(&first[k].thread, NULL,
					      first[k].fn, &first[k]), 0);
	for (k = 0; k < n; k++)
		VFIO_ASSERT_EQ(pthread_join(first[k].thread, NULL), 0);
}

/*
 * The virtual device is removed (@unbind: its parent unbound) while open
 * and in use: a child does the blocking sysfs write, REQ asks us to let go,
 * the SET_IRQS, fire and config threads go on regardless; the write
 * completes once the device fd is closed, and the device is gone.
 */
static void removal_round(const char *parent, bool unbind)
{
	struct pollfd pfd = { .events = POLLIN };
	char path[PATH_MAX], val[32], driver[64];
	int req, status, fd = atomic_load(&cur_fd);
	pid_t pid;
	size_t k;

	req = eventfd_nonblock();
	VFIO_ASSERT_EQ(set_irqs(fd, IRQ_TRIGGER_EVENTFD, VFIO_PCI_REQ_IRQ_INDEX,
				0, 1, &req, sizeof(req)), 0);
	if (unbind) {
		siov_edu_pci_attr(path, sizeof(path), parent, "driver/unbind");
		snprintf_assert(val, sizeof(val), "%s", parent);
	} else {
		siov_edu_parent_attr(path, sizeof(path), parent, "remove");
		snprintf_assert(val, sizeof(val), "%d", dev.vdev_id);
	}
	pid = fork();
	VFIO_ASSERT_GE(pid, 0);
	if (!pid) {
		/* holds nothing of the device: the write can complete */
		close_range(3, ~0u, 0);
		_exit(-vfio_sysfs_write(path, val));
	}

	pfd.fd = req;
	VFIO_ASSERT_EQ(poll(&pfd, 1, VFIO_IRQ_WAIT_MS), 1,
		       "no REQ for %s of %s\n", unbind ? "unbind" : "remove",
		       dev.name);
	for (k = 0; k < 4; k++)
		workers[k].iters = REMOVAL_ITERS * scale / 100 ?: 1;
	run_workers(workers, 4);
	/* the device is still open: the write is still blocked */
	VFIO_ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0);

	VFIO_ASSERT_EQ(close(fd), 0);
	atomic_store(&cur_fd, -1);
	dev.fd = -1;
	VFIO_ASSERT_EQ(waitpid(pid, &status, 0), pid);
	VFIO_ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status),
			 "%s %s: status 0x%x\n", path, val, status);
	siov_edu_vdev_path(path, sizeof(path), dev.vdev_id);
	VFIO_ASSERT_NE(access(path, F_OK), 0, "%s still there\n", path);
	if (unbind) {
		siov_edu_parent_driver(parent, driver, sizeof(driver));
		VFIO_ASSERT_EQ(driver[0], '\0', "%s still bound to %s\n",
			       parent, driver);
	}
	VFIO_ASSERT_EQ(close(req), 0);
	printf("# %s of %s while open: done\n", unbind ? "unbind" : "remove",
	       dev.name);
}

int main(int argc, char *argv[])
{
	static char before[1 << 16], after[1 << 16];
	struct timespec t0, t1;
	u64 val;
	int nbefore, nafter, i;
	size_t k;

	if (argc < 2) {
		fprintf(stderr, "usage: %s edu|igb|mtty|vdev [<PCI address>]\n",
			argv[0]);
		return KSFT_FAIL;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(1);

	if (!irq_test_param("RACE_SEED", "vfio_intr.race_seed", &seed))
		seed = ((u64)time(NULL) << 20) ^ getpid();
	if (irq_test_param("RACE_SCALE", "vfio_intr.race_scale", &val))
		scale = val;
	printf("# seed %llu (replay: RACE_SEED=%llu), scale %u%%\n",
	       (unsigned long long)seed, (unsigned long long)seed, scale);

	nbefore = irq_proc_lines(before, sizeof(before));
	irq_dev_open(&dev, argv[1], argc > 2 ? argv[2] : NULL);
	dev.racy = true;
	for (i = 0; i < NPOOL; i++)
		pool[i] = eventfd_nonblock();
	unmask_efd = eventfd_nonblock();
	atomic_store(&cur_fd, dev.fd);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (k = 0; k < ARRAY_SIZE(workers); k++) {
		struct worker *w = &workers[k];

		w->iters = w->iters * scale / 100 ?: 1;
		w->rng = (seed ^ (0x9e3779b97f4a7c15ULL * (k + 1))) ?: 1;
	}
	run_workers(workers, ARRAY_SIZE(workers));

	if (!strcmp(argv[1], "vdev")) {
		removal_round(argv[2], false);
		irq_dev_close(&dev);
		irq_dev_open(&dev, argv[1], argv[2]);
		dev.racy = true;
		atomic_store(&cur_fd, dev.fd);
		removal_round(argv[2], true);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	dev.fd = atomic_load(&cur_fd);
	dev.racy = false;
	irq_dev_close(&dev);
	for (i = 0; i < NPOOL; i++)
		VFIO_ASSERT_EQ(close(pool[i]), 0);
	VFIO_ASSERT_EQ(close(unmask_efd), 0);

	printf("# %s: %lu ioctls in %.1f s:", argv[1], atomic_load(&calls),
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (i = 0; i < MAXERR; i++)
		if (atomic_load(&errnos[i]))
			printf(" %s %lu", i ? strerrorname_np(i) ?: "?" : "ok",
			       atomic_load(&errnos[i]));
	printf("\n");

	nafter = irq_proc_lines(after, sizeof(after));
	if (nafter != nbefore || memcmp(before, after, sizeof(before))) {
		printf("# /proc/interrupts: %d lines before, %d after\n",
		       nbefore, nafter);
		ksft_test_result_fail("/proc/interrupts not back to its starting lines\n");
		ksft_exit_fail();
	}
	if (atomic_load(&bad)) {
		ksft_test_result_fail("%lu unexpected results\n",
				      atomic_load(&bad));
		ksft_exit_fail();
	}
	ksft_test_result_pass("races %s seed %llu\n", argv[1],
			      (unsigned long long)seed);
	ksft_exit_pass();
}
