// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X through VFIO_DEVICE_SET_IRQS, on QEMU's igb (82576, 10 vectors):
 * every vector signals only its own eventfd, partial block updates, loopback,
 * and adding vectors to a live set while another vector fires continuously.
 *
 * Vector v is fired by writing BIT(v) to EICS with EIAC auto-clear, so every
 * write is one message.  Interrupts are paced (fire, wait for the eventfd,
 * repeat) because messages to one CPU vector may legitimately coalesce.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

#include <linux/compiler.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest_harness.h"
#include "vfio_pci_irq_test.h"

#define MSIX VFIO_PCI_MSIX_IRQ_INDEX

static const char *device_bdf;

FIXTURE(vfio_pci_msix_test) {
	struct iommu *iommu;
	struct vfio_pci_device *device;
	int nvec;
	int efd[IGB_MSIX_VECTORS];
};

FIXTURE_SETUP(vfio_pci_msix_test)
{
	int v;

	self->iommu = iommu_init(default_iommu_mode);
	self->device = vfio_pci_device_init(device_bdf, self->iommu);
	self->nvec = min_t(int, self->device->msix_info.count, IGB_MSIX_VECTORS);

	for (v = 0; v < IGB_MSIX_VECTORS; v++)
		self->efd[v] = eventfd_nonblock();

	igb_msix_setup(self->device);
}

FIXTURE_TEARDOWN(vfio_pci_msix_test)
{
	int v;

	writel(~0u, self->device->bars[0].vaddr + IGB_REG_EIMC);
	vfio_pci_device_cleanup(self->device);
	iommu_cleanup(self->iommu);
	for (v = 0; v < IGB_MSIX_VECTORS; v++)
		close(self->efd[v]);
}

static int msix_set(struct vfio_pci_device *device, u32 start, u32 count,
		    const int *fds)
{
	return __vfio_pci_set_irqs_eventfd(device, VFIO_IRQ_SET_ACTION_TRIGGER,
					   MSIX, start, count, fds);
}

/* Only vector @v has been signalled, exactly once. */
#define ASSERT_ONLY(_self, _v) do {					\
	typeof(_self) __self = (_self);					\
	int __u;							\
									\
	ASSERT_SIGNALLED(__self->efd[_v], 1);				\
	for (__u = 0; __u < __self->nvec; __u++)			\
		ASSERT_NOT_SIGNALLED(__self->efd[__u]);			\
} while (0)

TEST_F(vfio_pci_msix_test, irq_info)
{
	struct vfio_irq_info info;

	vfio_pci_get_irq_info(self->device, MSIX, &info);
	ASSERT_EQ(IGB_MSIX_VECTORS, info.count);
	ASSERT_TRUE(info.flags & VFIO_IRQ_INFO_EVENTFD);
	ASSERT_FALSE(info.flags & (VFIO_IRQ_INFO_MASKABLE |
				   VFIO_IRQ_INFO_AUTOMASKED));
	printf("MSI-X flags 0x%x: %s\n", info.flags,
	       info.flags & VFIO_IRQ_INFO_NORESIZE ?
	       "NORESIZE (no dynamic MSI-X)" : "dynamic MSI-X");
}

/* Each vector signals its own eventfd and no other. */
TEST_F(vfio_pci_msix_test, per_vector)
{
	struct vfio_pci_device *device = self->device;
	int round, v;

	ASSERT_EQ(0, msix_set(device, 0, self->nvec, self->efd));

	for (round = 0; round < 2; round++) {
		for (v = 0; v < self->nvec; v++) {
			igb_msix_fire(device, v);
			ASSERT_ONLY(self, v);
		}
	}

	/* Reverse order, to catch an off-by-one mapping that wraps. */
	for (v = self->nvec - 1; v >= 0; v--) {
		igb_msix_fire(device, v);
		ASSERT_ONLY(self, v);
	}
}

/* DATA_NONE / DATA_BOOL loopback hits exactly the selected vectors. */
TEST_F(vfio_pci_msix_test, loopback)
{
	struct vfio_pci_device *device = self->device;
	u8 bools[IGB_MSIX_VECTORS] = {};
	int v;

	ASSERT_EQ(0, msix_set(device, 0, self->nvec, self->efd));

	for (v = 0; v < self->nvec; v++) {
		ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
						      VFIO_IRQ_SET_ACTION_TRIGGER,
						      MSIX, v, 1));
		ASSERT_ONLY(self, v);
	}

	/* Odd vectors of the block [1, nvec). */
	for (v = 1; v < self->nvec; v++)
		bools[v - 1] = v & 1;
	ASSERT_EQ(0, __vfio_pci_set_irqs_bool(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSIX, 1, self->nvec - 1, bools));
	for (v = 0; v < self->nvec; v++)
		ASSERT_SIGNALLED(self->efd[v], v & 1);
}

/* A block update touches only its range: -1 unsets, an fd replaces. */
TEST_F(vfio_pci_msix_test, partial_block_update)
{
	struct vfio_pci_device *device = self->device;
	int other = eventfd_nonblock();
	int fds[3] = { -1, other, -1 };
	int v;

	if (self->nvec < 5)
		SKIP(return, "needs 5 MSI-X vectors, device has %d\n", self->nvec);

	ASSERT_EQ(0, msix_set(device, 0, self->nvec, self->efd));
	ASSERT_EQ(0, msix_set(device, 2, 3, fds));

	/* Loopback: 2 and 4 have no trigger any more, 3 is "other". */
	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSIX, 0, self->nvec));
	for (v = 0; v < self->nvec; v++)
		ASSERT_SIGNALLED(self->efd[v], v < 2 || v > 4);
	ASSERT_SIGNALLED(other, 1);

	/* The device agrees for the vectors that still have a trigger. */
	igb_msix_fire(device, 3);
	ASSERT_SIGNALLED(other, 1);
	ASSERT_NOT_SIGNALLED(self->efd[3]);
	for (v = 0; v < self->nvec; v++) {
		if (v >= 2 && v <= 4)
			continue;
		igb_msix_fire(device, v);
		ASSERT_ONLY(self, v);
	}

	/* Re-setting the unset vectors brings them back. */
	ASSERT_EQ(0, msix_set(device, 2, 3, &self->efd[2]));
	for (v = 2; v <= 4; v++) {
		igb_msix_fire(device, v);
		ASSERT_ONLY(self, v);
	}
	ASSERT_NOT_SIGNALLED(other);

	close(other);
}

/*
 * Upstream rollback of a failed block update on a live set: vectors from
 * start up to and including the failing one are left without a trigger,
 * vectors outside the block are untouched.
 */
TEST_F(vfio_pci_msix_test, failed_block_update)
{
	struct vfio_pci_device *device = self->device;
	int fds[3] = { self->efd[1], self->efd[2], -1 };
	int closed = eventfd_nonblock();
	int v;

	if (self->nvec < 5)
		SKIP(return, "needs 5 MSI-X vectors, device has %d\n", self->nvec);

	close(closed);
	fds[2] = closed;

	ASSERT_EQ(0, msix_set(device, 0, self->nvec, self->efd));
	ASSERT_EQ(-EBADF, msix_set(device, 1, 3, fds));

	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSIX, 0, self->nvec));
	for (v = 0; v < self->nvec; v++)
		ASSERT_SIGNALLED(self->efd[v], v < 1 || v > 3);

	/* Still MSI-X: the survivors fire from the device. */
	igb_msix_fire(device, 0);
	ASSERT_ONLY(self, 0);
	igb_msix_fire(device, 4);
	ASSERT_ONLY(self, 4);
}

struct firing {
	struct vfio_pci_device *device;
	int vector;
	int fd;
	atomic_bool stop;
	/* Written by the firing thread only. */
	u64 fired;
	u64 received;
	u64 lost;
};

static void *fire_continuously(void *arg)
{
	struct firing *f = arg;
	u64 got;

	while (!atomic_load(&f->stop)) {
		igb_msix_fire(f->device, f->vector);
		f->fired++;
		got = eventfd_wait(f->fd, VFIO_IRQ_WAIT_MS);
		if (!got) {
			f->lost++;
			break;
		}
		f->received += got;
	}

	return NULL;
}

/*
 * Add vectors one at a time (start = k, count = 1) to a live MSI-X set while
 * vector 0 fires continuously: with dynamic MSI-X every add succeeds and the
 * new vector works; without (NORESIZE), adding past the initial allocation
 * fails with EINVAL.  Either way vector 0 loses nothing.
 */
TEST_F(vfio_pci_msix_test, dynamic_add_while_firing)
{
	struct vfio_pci_device *device = self->device;
	struct firing f = {
		.device = device,
		.vector = 0,
		.fd = self->efd[0],
	};
	struct vfio_irq_info info;
	pthread_t thread;
	bool dynamic;
	u64 fired_before;
	int k, ret = 0;

	vfio_pci_get_irq_info(device, MSIX, &info);
	dynamic = !(info.flags & VFIO_IRQ_INFO_NORESIZE);

	ASSERT_EQ(0, msix_set(device, 0, 1, &self->efd[0]));

	ASSERT_EQ(0, pthread_create(&thread, NULL, fire_continuously, &f));

	for (k = 1; k < self->nvec; k++) {
		fired_before = READ_ONCE(f.fired);
		ret = msix_set(device, k, 1, &self->efd[k]);
		if (!dynamic) {
			if (ret)
				continue;
			break;
		}
		if (ret)
			break;

		igb_msix_fire(device, k);
		if (eventfd_wait(self->efd[k], VFIO_IRQ_WAIT_MS) != 1)
			break;
		/* Let vector 0 fire across the next add as well. */
		while (READ_ONCE(f.fired) == fired_before && !READ_ONCE(f.lost))
			sched_yield();
	}

	atomic_store(&f.stop, true);
	ASSERT_EQ(0, pthread_join(thread, NULL));

	printf("%s MSI-X: vector 0 fired %llu received %llu; added %d vectors\n",
	       dynamic ? "dynamic" : "static", (unsigned long long)f.fired,
	       (unsigned long long)f.received, dynamic ? k - 1 : 0);

	ASSERT_EQ(0, f.lost);
	ASSERT_EQ(f.fired, f.received);
	ASSERT_LT(0, f.fired);
	if (dynamic) {
		ASSERT_EQ(self->nvec, k);
	} else {
		ASSERT_EQ(self->nvec, k);
		ASSERT_EQ(-EINVAL, ret);
	}

	/* All added vectors still map one to one. */
	for (k = 0; k < (dynamic ? self->nvec : 1); k++) {
		igb_msix_fire(device, k);
		ASSERT_ONLY(self, k);
	}
}

/* Enabling with start > 0 allocates (and keeps) the vectors below it. */
TEST_F(vfio_pci_msix_test, enable_at_offset)
{
	struct vfio_pci_device *device = self->device;

	ASSERT_EQ(0, msix_set(device, 3, 1, &self->efd[3]));
	igb_msix_fire(device, 3);
	ASSERT_ONLY(self, 3);

	/* Vectors 0..2 were allocated by the enable: adding them works. */
	ASSERT_EQ(0, msix_set(device, 0, 3, self->efd));
	igb_msix_fire(device, 1);
	ASSERT_ONLY(self, 1);
}

/* /proc/interrupts: one "vfio-msix[v](bdf)" per vector with a trigger. */
TEST_F(vfio_pci_msix_test, proc_interrupts)
{
	struct vfio_pci_device *device = self->device;
	int fds[2] = { -1, -1 };
	char name[64];
	long before;
	int v;

	ASSERT_EQ(0, msix_set(device, 0, 3, self->efd));

	for (v = 0; v < 3; v++) {
		vfio_irq_name(name, sizeof(name), MSIX, v, device->bdf);
		before = proc_interrupts_count(name);
		ASSERT_LE(0, before) TH_LOG("%s not in /proc/interrupts", name);
		igb_msix_fire(device, v);
		ASSERT_ONLY(self, v);
		ASSERT_EQ(before + 1, proc_interrupts_count(name));
	}
	vfio_irq_name(name, sizeof(name), MSIX, 3, device->bdf);
	ASSERT_EQ(-1, proc_interrupts_count(name));

	/* Unsetting vector 1 frees its interrupt; 0 and 2 stay. */
	ASSERT_EQ(0, msix_set(device, 1, 1, fds));
	vfio_irq_name(name, sizeof(name), MSIX, 1, device->bdf);
	ASSERT_EQ(-1, proc_interrupts_count(name));
	vfio_irq_name(name, sizeof(name), MSIX, 2, device->bdf);
	ASSERT_LE(0, proc_interrupts_count(name));

	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSIX, 0, 0));
	for (v = 0; v < 3; v++) {
		vfio_irq_name(name, sizeof(name), MSIX, v, device->bdf);
		ASSERT_EQ(-1, proc_interrupts_count(name));
	}
}

/*
 * VFIO_DEVICE_RESET keeps MSI-X as the user set it up: the triggers stay
 * installed (loopback) and, once the device's own registers are programmed
 * again, its interrupts still arrive, and the set can be updated.
 */
TEST_F(vfio_pci_msix_test, reset_keeps_triggers)
{
	struct vfio_pci_device *device = self->device;

	if (!(device->info.flags & VFIO_DEVICE_FLAGS_RESET))
		SKIP(return, "device does not support reset\n");

	ASSERT_EQ(0, msix_set(device, 0, 2, self->efd));
	igb_msix_fire(device, 0);
	ASSERT_ONLY(self, 0);

	vfio_pci_device_reset(device);

	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSIX, 0, 2));
	ASSERT_SIGNALLED(self->efd[0], 1);
	ASSERT_SIGNALLED(self->efd[1], 1);

	igb_msix_setup(device);
	igb_msix_fire(device, 1);
	ASSERT_ONLY(self, 1);

	ASSERT_EQ(0, msix_set(device, 0, 2, self->efd));
	igb_msix_fire(device, 0);
	ASSERT_ONLY(self, 0);
}

static bool suitable(struct vfio_pci_device *device)
{
	return is_igb(device) && device->bars[0].vaddr &&
	       device->msix_info.count >= 2;
}

int main(int argc, char *argv[])
{
	return irq_test_main(argc, argv, &device_bdf, suitable,
			     "an igb (8086:10c9) with MSI-X");
}
