// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts of samples/vfio-mdev/mtty, an emulated device on the VFIO
 * interrupt frontend's emulated backend.
 *
 * Each test creates an mtty-1 mdev through sysfs, opens it through its VFIO
 * group and removes it afterwards.  mtty emulates a 16550 UART in BAR0
 * (port I/O registers at offsets 0-7 of the region); writing IER with THRI
 * set while the transmit FIFO is empty raises its interrupt, on INTx or MSI
 * vector 0, whichever is enabled.  The emulated interrupt is signalled from
 * the BAR write itself, so the eventfd count is final when pwrite() returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/serial_reg.h>
#include <linux/vfio.h>

#include <libvfio/vfio_pci_irq.h>

#include "kselftest_harness.h"

#define MTTY_PARENT	"/sys/class/mdev_bus/mtty"
#define MTTY_TYPE	MTTY_PARENT "/mdev_supported_types/mtty-1"
#define MDEV_DEVICES	"/sys/bus/mdev/devices"

#define INTX	VFIO_PCI_INTX_IRQ_INDEX
#define MSI	VFIO_PCI_MSI_IRQ_INDEX

FIXTURE(mtty) {
	char uuid[40];
	int container;
	int group;
	int device;
	int efd;
};

static int mtty_open_device(struct __test_metadata *_metadata, int group,
			    const char *uuid)
{
	int fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, uuid);

	ASSERT_LE(0, fd);
	return fd;
}

FIXTURE_SETUP(mtty)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX], link[PATH_MAX], *name;
	ssize_t n;

	if (access(MTTY_TYPE "/create", W_OK))
		SKIP(return, "no mtty mdev parent (CONFIG_SAMPLE_VFIO_MDEV_MTTY)");

	snprintf(self->uuid, sizeof(self->uuid),
		 "3c2e8a4e-6d1b-4f0e-9a57-%012x", (unsigned int)getpid());
	ASSERT_EQ(0, vfio_sysfs_write(MTTY_TYPE "/create", self->uuid));

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/iommu_group",
		 self->uuid);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	name = strrchr(link, '/');
	ASSERT_NE(NULL, name);

	snprintf(path, sizeof(path), "/dev/vfio/%s", name + 1);
	self->group = open(path, O_RDWR);
	ASSERT_LE(0, self->group);
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_GET_STATUS, &status));
	ASSERT_TRUE(status.flags & VFIO_GROUP_FLAGS_VIABLE);

	self->container = open("/dev/vfio/vfio", O_RDWR);
	ASSERT_LE(0, self->container);
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER,
			   &self->container));
	ASSERT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU,
			   VFIO_TYPE1v2_IOMMU));

	self->device = mtty_open_device(_metadata, self->group,
					self->uuid);
	self->efd = eventfd_nonblock();
}

FIXTURE_TEARDOWN(mtty)
{
	char path[PATH_MAX];

	if (access(MTTY_TYPE "/create", W_OK))
		return;

	/* Closing with interrupts enabled must drop them (kmemleak checks). */
	close(self->device);
	close(self->group);
	close(self->container);
	close(self->efd);

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/remove", self->uuid);
	ASSERT_EQ(0, vfio_sysfs_write(path, "1"));
}

static int set_irqs(int device, u32 flags, u32 index, u32 start, u32 count,
		    const void *data, size_t size)
{
	char buf[sizeof(struct vfio_irq_set) + 64];
	struct vfio_irq_set *hdr = (struct vfio_irq_set *)buf;

	if (size > 64)
		return -E2BIG;
	*hdr = (struct vfio_irq_set) {
		.argsz = sizeof(*hdr) + size,
		.flags = flags,
		.index = index,
		.start = start,
		.count = count,
	};
	memcpy(hdr->data, data, size);
	return ioctl(device, VFIO_DEVICE_SET_IRQS, hdr) ? -errno : 0;
}

static int set_fd(int device, u32 index, int fd)
{
	return set_irqs(device, IRQ_TRIGGER_EVENTFD, index, 0, 1, &fd,
			sizeof(fd));
}

static int set_none(int device, u32 flags, u32 index, u32 count)
{
	return set_irqs(device, flags, index, 0, count, NULL, 0);
}

static int set_bool(int device, u32 flags, u32 index, u8 val)
{
	return set_irqs(device, flags, index, 0, 1, &val, 1);
}

static int irq_info(int device, u32 index, struct vfio_irq_info *info)
{
	*info = (struct vfio_irq_info) { .argsz = sizeof(*info),
					 .index = index };
	return ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, info) ? -errno : 0;
}

/* Write one UART register of port 0 (BAR0, region offset 0). */
static void uart_write(struct __test_metadata *_metadata, int device,
		       unsigned int reg, u8 val)
{
	ASSERT_EQ(1, pwrite(device, &val, 1, reg));
}

/* THR empty and IER.THRI newly written: the UART raises its interrupt. */
static void uart_raise(struct __test_metadata *_metadata, int device)
{
	uart_write(_metadata, device, UART_IER, UART_IER_THRI);
}

/* What upstream mtty reports: INTx and MSI, one vector each, nothing else. */
TEST_F(mtty, irq_info)
{
	struct vfio_device_info dev = { .argsz = sizeof(dev) };
	struct vfio_irq_info info;

	ASSERT_EQ(0, ioctl(self->device, VFIO_DEVICE_GET_INFO, &dev));
	ASSERT_EQ(VFIO_PCI_NUM_IRQS, dev.num_irqs);
	ASSERT_TRUE(dev.flags & VFIO_DEVICE_FLAGS_PCI);

	ASSERT_EQ(0, irq_info(self->device, INTX, &info));
	ASSERT_EQ(1, info.count);
	ASSERT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
		  VFIO_IRQ_INFO_AUTOMASKED, info.flags);

	ASSERT_EQ(0, irq_info(self->device, MSI, &info));
	ASSERT_EQ(1, info.count);
	ASSERT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, info.flags);

	ASSERT_EQ(-EINVAL, irq_info(self->device, VFIO_PCI_MSIX_IRQ_INDEX,
				    &info));
	ASSERT_EQ(-EINVAL, irq_info(self->device, VFIO_PCI_ERR_IRQ_INDEX,
				    &info));
	ASSERT_EQ(-EINVAL, irq_info(self->device, VFIO_PCI_REQ_IRQ_INDEX,
				    &info));
	ASSERT_EQ(-EINVAL, irq_info(self->device, VFIO_PCI_NUM_IRQS, &info));
}

/* MSI: every UART interrupt is one signal; loopback; disable. */
TEST_F(mtty, msi)
{
	ASSERT_EQ(0, set_fd(self->device, MSI, self->efd));

	uart_raise(_metadata, self->device);
	ASSERT_EQ(1, eventfd_drain(self->efd));
	uart_raise(_metadata, self->device);
	uart_raise(_metadata, self->device);
	ASSERT_EQ(2, eventfd_drain(self->efd));

	/* IER without THRI raises nothing. */
	uart_write(_metadata, self->device, UART_IER, 0);
	ASSERT_EQ(0, eventfd_drain(self->efd));

	/* Loopback. */
	ASSERT_EQ(0, set_none(self->device, IRQ_TRIGGER_NONE, MSI, 1));
	ASSERT_EQ(1, eventfd_drain(self->efd));
	ASSERT_EQ(0, set_bool(self->device, IRQ_TRIGGER_BOOL, MSI, 1));
	ASSERT_EQ(1, eventfd_drain(self->efd));
	ASSERT_EQ(0, set_bool(self->device, IRQ_TRIGGER_BOOL, MSI, 0));
	ASSERT_EQ(0, eventfd_drain(self->efd));

	/* MSI has no mask; INTx cannot be enabled next to it. */
	ASSERT_EQ(-ENOTTY, set_none(self->device, IRQ_MASK_NONE, MSI, 1));
	ASSERT_EQ(-EINVAL, set_fd(self->device, INTX, self->efd));

	ASSERT_EQ(0, set_none(self->device, IRQ_TRIGGER_NONE, MSI, 0));
	uart_raise(_metadata, self->device);
	ASSERT_EQ(0, eventfd_drain(self->efd));
	ASSERT_EQ(-EINVAL, set_none(self->device, IRQ_TRIGGER_NONE, MSI, 1));
}

/*
 * INTx: automasked; an interrupt raised while masked is latched and
 * delivered once at unmask (level-triggered semantics of the frontend).
 */
TEST_F(mtty, intx)
{
	ASSERT_EQ(0, set_fd(self->device, INTX, self->efd));

	uart_raise(_metadata, self->device);
	ASSERT_EQ(1, eventfd_drain(self->efd));

	/* Automasked: latched, not signalled. */
	uart_raise(_metadata, self->device);
	ASSERT_EQ(0, eventfd_drain(self->efd));

	/* Unmask delivers the latched interrupt, INTx stays masked. */
	ASSERT_EQ(0, set_none(self->device, IRQ_UNMASK_NONE, INTX, 1));
	ASSERT_EQ(1, eventfd_drain(self->efd));
	ASSERT_EQ(0, set_bool(self->device, IRQ_UNMASK_BOOL, INTX, 1));
	ASSERT_EQ(0, eventfd_drain(self->efd));

	uart_raise(_metadata, self->device);
	ASSERT_EQ(1, eventfd_drain(self->efd));

	/* User mask. */
	ASSERT_EQ(0, set_none(self->device, IRQ_UNMASK_NONE, INTX, 1));
	ASSERT_EQ(0, set_bool(self->device, IRQ_MASK_BOOL, INTX, 1));
	uart_raise(_metadata, self->device);
	ASSERT_EQ(0, eventfd_drain(self->efd));
	ASSERT_EQ(0, set_none(self->device, IRQ_UNMASK_NONE, INTX, 1));
	ASSERT_EQ(1, eventfd_drain(self->efd));

	/* Loopback, BOOL 0 does nothing. */
	ASSERT_EQ(0, set_none(self->device, IRQ_TRIGGER_NONE, INTX, 1));
	ASSERT_EQ(1, eventfd_drain(self->efd));
	ASSERT_EQ(0, set_bool(self->device, IRQ_TRIGGER_BOOL, INTX, 0));
	ASSERT_EQ(0, eventfd_drain(self->efd));

	ASSERT_EQ(-EINVAL, set_fd(self->device, MSI, self->efd));
	ASSERT_EQ(-ENOTTY, set_irqs(self->device, IRQ_MASK_EVENTFD, INTX, 0, 1,
				    &self->efd, sizeof(int)));

	ASSERT_EQ(0, set_none(self->device, IRQ_TRIGGER_NONE, INTX, 0));
	ASSERT_EQ(-EINVAL, set_none(self->device, IRQ_UNMASK_NONE, INTX, 1));
	uart_raise(_metadata, self->device);
	ASSERT_EQ(0, eventfd_drain(self->efd));
}

/* The INTx unmask eventfd unmasks and delivers a latched interrupt. */
TEST_F(mtty, intx_unmask_eventfd)
{
	int unmask = eventfd_nonblock();
	u64 one = 1;

	ASSERT_EQ(0, set_fd(self->device, INTX, self->efd));
	ASSERT_EQ(0, set_irqs(self->device, IRQ_UNMASK_EVENTFD, INTX, 0, 1,
			      &unmask, sizeof(unmask)));

	uart_raise(_metadata, self->device);
	uart_raise(_metadata, self->device);
	ASSERT_EQ(1, eventfd_drain(self->efd));

	ASSERT_EQ(sizeof(one), write(unmask, &one, sizeof(one)));
	ASSERT_EQ(1, eventfd_wait(self->efd, VFIO_IRQ_WAIT_MS));

	close(unmask);
}

/* Bad requests change nothing. */
TEST_F(mtty, bad_requests)
{
	int notefd = open("/dev/null", O_RDONLY);
	int fds[2] = { self->efd, self->efd };

	ASSERT_LE(0, notefd);

	ASSERT_EQ(-EINVAL, set_fd(self->device, VFIO_PCI_MSIX_IRQ_INDEX,
				  self->efd));
	ASSERT_EQ(-EINVAL, set_fd(self->device, VFIO_PCI_ERR_IRQ_INDEX,
				  self->efd));
	ASSERT_EQ(-EINVAL, set_fd(self->device, VFIO_PCI_REQ_IRQ_INDEX,
				  self->efd));
	ASSERT_EQ(-EINVAL, set_irqs(self->device, IRQ_TRIGGER_EVENTFD, MSI,
				    0, 2, fds, sizeof(fds)));
	ASSERT_EQ(-EINVAL, set_irqs(self->device, IRQ_TRIGGER_EVENTFD, MSI,
				    1, 1, fds, sizeof(int)));
	ASSERT_EQ(-EBADF, set_fd(self->device, MSI, 1000));
	ASSERT_EQ(-EINVAL, set_fd(self->device, MSI, notefd));
	ASSERT_EQ(-EINVAL, set_fd(self->device, INTX, notefd));
	ASSERT_EQ(-EINVAL, set_none(self->device, IRQ_UNMASK_NONE, INTX, 1));
	ASSERT_EQ(-EINVAL, set_none(self->device, IRQ_TRIGGER_NONE, MSI, 1));

	/* Nothing was enabled by the failures. */
	uart_raise(_metadata, self->device);
	ASSERT_EQ(0, eventfd_drain(self->efd));
	ASSERT_EQ(0, set_fd(self->device, MSI, self->efd));
	uart_raise(_metadata, self->device);
	ASSERT_EQ(1, eventfd_drain(self->efd));

	close(notefd);
}

/* Closing the device disables its interrupts; a new open starts clean. */
TEST_F(mtty, close_disables)
{
	ASSERT_EQ(0, set_fd(self->device, INTX, self->efd));
	close(self->device);

	self->device = mtty_open_device(_metadata, self->group,
					self->uuid);
	ASSERT_EQ(-EINVAL, set_none(self->device, IRQ_TRIGGER_NONE, INTX, 1));
	uart_raise(_metadata, self->device);
	ASSERT_EQ(0, eventfd_drain(self->efd));
	ASSERT_EQ(0, set_fd(self->device, MSI, self->efd));
	uart_raise(_metadata, self->device);
	ASSERT_EQ(1, eventfd_drain(self->efd));
}

TEST_HARNESS_MAIN
