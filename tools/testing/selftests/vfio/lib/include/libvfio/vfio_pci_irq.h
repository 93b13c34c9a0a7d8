/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_VFIO_PCI_IRQ_H
#define SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_VFIO_PCI_IRQ_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>
#include <linux/vfio.h>

#include <libvfio/vfio_pci_device.h>

/*
 * Raw VFIO_DEVICE_SET_IRQS / VFIO_DEVICE_GET_IRQ_INFO wrappers for uAPI tests.
 *
 * Unlike vfio_pci_irq_enable() and friends, these never assert: they return 0
 * on success and -errno on failure, so that a test can check the exact error
 * the kernel reports (iommufd selftest style: ASSERT_EQ(-EINVAL, ...)).
 */

/* VFIO_IRQ_SET_DATA_* | VFIO_IRQ_SET_ACTION_* shorthands */
#define IRQ_TRIGGER_NONE	(VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_NONE)
#define IRQ_TRIGGER_BOOL	(VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_BOOL)
#define IRQ_TRIGGER_EVENTFD	(VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD)
#define IRQ_MASK_NONE		(VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_DATA_NONE)
#define IRQ_MASK_BOOL		(VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_DATA_BOOL)
#define IRQ_MASK_EVENTFD	(VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_DATA_EVENTFD)
#define IRQ_UNMASK_NONE		(VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_DATA_NONE)
#define IRQ_UNMASK_BOOL		(VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_DATA_BOOL)
#define IRQ_UNMASK_EVENTFD	(VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_DATA_EVENTFD)

/*
 * Write @s to the sysfs (or proc/debugfs) file @path in one write().
 * Returns 0 or -errno of the open() or the write().
 */
static inline int vfio_sysfs_write(const char *path, const char *s)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

/* Issue VFIO_DEVICE_SET_IRQS with @hdr exactly as given (argsz included). */
int __vfio_device_set_irqs(int device_fd, struct vfio_irq_set *hdr);

/*
 * Build a struct vfio_irq_set with argsz = header + @data_size, copy @data
 * behind it and issue VFIO_DEVICE_SET_IRQS.  Returns 0 or -errno.
 */
int __vfio_pci_set_irqs(struct vfio_pci_device *device, u32 flags, u32 index,
			u32 start, u32 count, const void *data, size_t data_size);

/* Convenience forms; all return 0 or -errno. */
int __vfio_pci_set_irqs_none(struct vfio_pci_device *device, u32 action,
			     u32 index, u32 start, u32 count);
int __vfio_pci_set_irqs_bool(struct vfio_pci_device *device, u32 action,
			     u32 index, u32 start, u32 count, const u8 *bools);
int __vfio_pci_set_irqs_eventfd(struct vfio_pci_device *device, u32 action,
				u32 index, u32 start, u32 count,
				const int *fds);

/* VFIO_DEVICE_GET_IRQ_INFO for @index into @info; returns 0 or -errno. */
int __vfio_pci_get_irq_info(struct vfio_pci_device *device, u32 index,
			    struct vfio_irq_info *info);

/* Asserting form of the above. */
void vfio_pci_get_irq_info(struct vfio_pci_device *device, u32 index,
			   struct vfio_irq_info *info);

/*
 * eventfd helpers.  All eventfds made here are non-blocking, so that a read
 * of an unsignalled eventfd returns at once and a test can tell "0 signals"
 * from "some signals".
 */
int eventfd_nonblock(void);

/* Read and reset the counter of @fd: the number of signals since last read. */
u64 eventfd_drain(int fd);

/*
 * Wait until @fd is readable (poll(), no sleeps) for at most @timeout_ms, then
 * drain it.  Returns the counter value, 0 on timeout.
 */
u64 eventfd_wait(int fd, int timeout_ms);

/* Timeout for an interrupt that must arrive (TCG guests are slow). */
#define VFIO_IRQ_WAIT_MS	10000

#endif /* SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_VFIO_PCI_IRQ_H */
