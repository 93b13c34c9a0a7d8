// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raw interrupt uAPI helpers: SET_IRQS / GET_IRQ_INFO returning -errno, and
 * non-blocking eventfd helpers.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>

int __vfio_device_set_irqs(int device_fd, struct vfio_irq_set *hdr)
{
	if (ioctl(device_fd, VFIO_DEVICE_SET_IRQS, hdr))
		return -errno;

	return 0;
}

int __vfio_pci_set_irqs(struct vfio_pci_device *device, u32 flags, u32 index,
			u32 start, u32 count, const void *data, size_t data_size)
{
	size_t argsz = sizeof(struct vfio_irq_set) + data_size;
	struct vfio_irq_set *hdr;
	int ret;

	hdr = calloc_assert(1, argsz);
	hdr->argsz = argsz;
	hdr->flags = flags;
	hdr->index = index;
	hdr->start = start;
	hdr->count = count;
	if (data_size)
		memcpy(hdr->data, data, data_size);

	ret = __vfio_device_set_irqs(device->fd, hdr);
	free(hdr);

	return ret;
}

int __vfio_pci_set_irqs_none(struct vfio_pci_device *device, u32 action,
			     u32 index, u32 start, u32 count)
{
	return __vfio_pci_set_irqs(device, action | VFIO_IRQ_SET_DATA_NONE,
				   index, start, count, NULL, 0);
}

int __vfio_pci_set_irqs_bool(struct vfio_pci_device *device, u32 action,
			     u32 index, u32 start, u32 count, const u8 *bools)
{
	return __vfio_pci_set_irqs(device, action | VFIO_IRQ_SET_DATA_BOOL,
				   index, start, count, bools,
				   count * sizeof(*bools));
}

int __vfio_pci_set_irqs_eventfd(struct vfio_pci_device *device, u32 action,
				u32 index, u32 start, u32 count,
				const int *fds)
{
	return __vfio_pci_set_irqs(device, action | VFIO_IRQ_SET_DATA_EVENTFD,
				   index, start, count, fds,
				   count * sizeof(*fds));
}

int __vfio_pci_get_irq_info(struct vfio_pci_device *device, u32 index,
			    struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;

	if (ioctl(device->fd, VFIO_DEVICE_GET_IRQ_INFO, info))
		return -errno;

	return 0;
}

void vfio_pci_get_irq_info(struct vfio_pci_device *device, u32 index,
			   struct vfio_irq_info *info)
{
	int ret = __vfio_pci_get_irq_info(device, index, info);

	VFIO_ASSERT_EQ(ret, 0, "GET_IRQ_INFO(index %u) failed\n", index);
}

int eventfd_nonblock(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	VFIO_ASSERT_GE(fd, 0, "eventfd() failed\n");
	return fd;
}

u64 eventfd_drain(int fd)
{
	u64 value;
	ssize_t r;

	r = read(fd, &value, sizeof(value));
	if (r < 0) {
		VFIO_ASSERT_EQ(errno, EAGAIN, "read(eventfd %d) failed\n", fd);
		return 0;
	}
	VFIO_ASSERT_EQ(r, sizeof(value));

	return value;
}

u64 eventfd_wait(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int r;

	do {
		r = poll(&pfd, 1, timeout_ms);
	} while (r < 0 && errno == EINTR);
	VFIO_ASSERT_GE(r, 0, "poll(eventfd %d) failed\n", fd);

	return r ? eventfd_drain(fd) : 0;
}
