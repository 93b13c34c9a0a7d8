/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The edu SIOV reference device (samples/vfio-siov-edu, docs/siov-edu.rst):
 * sysfs of the parent and register map of a virtual device, for the
 * selftests and the demo.
 *
 * A virtual device's BAR0 cannot be mmap()ed: its registers are read and
 * written with pread()/pwrite() on the device fd, 4 bytes at a time.
 */
#ifndef SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_SIOV_EDU_H
#define SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_SIOV_EDU_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>

#define SIOV_EDU_DRIVER		"vfio-siov-edu"
#define SIOV_EDU_VENDOR		0x1234
#define SIOV_EDU_DEVICE		0x11e9
#define SIOV_EDU_AUX_DEVICES	"/sys/bus/auxiliary/devices"
#define SIOV_EDU_AUX_NAME	"vfio_siov_edu.vdev."
#define SIOV_EDU_MAX_ID		65535
#define SIOV_EDU_MAX_NVEC	2048

/* BAR0 of a virtual device */
#define SIOV_EDU_BAR0_SIZE	0x10000
#define SIOV_EDU_VERSION	0x0000
#define SIOV_EDU_VERSION_1_0	0x00010000
#define SIOV_EDU_NVEC		0x0004
#define SIOV_EDU_DOORBELL	0x0008
#define SIOV_EDU_ADMIN		0x000c
#define SIOV_EDU_ADMIN_DONE	0x0010
#define SIOV_EDU_VDEV_ID	0x0014
#define SIOV_EDU_FLUSH		0x0018
#define SIOV_EDU_DROPPED	0x001c
#define SIOV_EDU_MSIX_TABLE	0x1000
#define SIOV_EDU_MSIX_PBA	0x9000

/* Config space of a virtual device */
#define SIOV_EDU_CONFIG_SIZE	256
#define SIOV_EDU_MSIX_CAP	0x40
#define SIOV_EDU_SUBSYS_VENDOR	0x1af4
#define SIOV_EDU_SUBSYS_DEVICE	0x1100

/* Time an IMS message may take: ~100 ms each, a TCG guest is slow */
#define SIOV_EDU_WAIT_MS	10000

/* /sys/bus/pci/devices/<parent>/siov/<attr> */
static inline void siov_edu_parent_attr(char *buf, size_t size,
					const char *parent, const char *attr)
{
	snprintf_assert(buf, size, "/sys/bus/pci/devices/%s/siov/%s", parent,
			attr);
}

/* /sys/bus/pci/devices/<parent>/<attr> */
static inline void siov_edu_pci_attr(char *buf, size_t size,
				     const char *parent, const char *attr)
{
	snprintf_assert(buf, size, "/sys/bus/pci/devices/%s/%s", parent, attr);
}

/* The driver bound to @parent into @buf, "" if none */
static inline void siov_edu_parent_driver(const char *parent, char *buf,
					  size_t size)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	siov_edu_pci_attr(path, sizeof(path), parent, "driver");
	n = readlink(path, link, sizeof(link) - 1);
	buf[0] = '\0';
	if (n > 0) {
		link[n] = '\0';
		snprintf(buf, size, "%s", strrchr(link, '/') + 1);
	}
}

/* Unbind @parent from its driver (blocks while a virtual device is open) */
static inline int siov_edu_parent_unbind(const char *parent)
{
	char path[PATH_MAX];

	siov_edu_pci_attr(path, sizeof(path), parent, "driver/unbind");
	if (access(path, F_OK))
		return 0;
	return vfio_sysfs_write(path, parent);
}

/* Bind @parent to @driver ("": no driver, only the override cleared) */
static inline int siov_edu_parent_bind(const char *parent, const char *driver)
{
	char path[PATH_MAX];
	int ret;

	siov_edu_pci_attr(path, sizeof(path), parent, "driver_override");
	ret = vfio_sysfs_write(path, driver[0] ? driver : "\n");
	if (ret || !driver[0])
		return ret;
	return vfio_sysfs_write("/sys/bus/pci/drivers_probe", parent);
}

/*
 * Bind @parent to vfio-siov-edu, its driver until then into @saved ("" if
 * none): 0 or -errno, and then @parent is given back to @saved.
 */
static inline int siov_edu_parent_take(const char *parent, char *saved,
				       size_t size)
{
	char driver[64];
	int ret;

	siov_edu_parent_driver(parent, saved, size);
	ret = siov_edu_parent_unbind(parent);
	if (ret)
		return ret;
	ret = siov_edu_parent_bind(parent, SIOV_EDU_DRIVER);
	siov_edu_parent_driver(parent, driver, sizeof(driver));
	if (!ret && strcmp(driver, SIOV_EDU_DRIVER))
		ret = -ENODEV;
	if (ret) {
		siov_edu_parent_unbind(parent);
		siov_edu_parent_bind(parent, saved);
	}
	return ret;
}

/* Create virtual device @id with @nvec vectors: 0 or -errno */
static inline int siov_edu_create(const char *parent, int id, int nvec)
{
	char path[PATH_MAX], arg[32];

	siov_edu_parent_attr(path, sizeof(path), parent, "create");
	snprintf_assert(arg, sizeof(arg), "%d %d", id, nvec);
	return vfio_sysfs_write(path, arg);
}

/* Remove virtual device @id (blocks while it is open): 0 or -errno */
static inline int siov_edu_remove(const char *parent, int id)
{
	char path[PATH_MAX], arg[16];

	siov_edu_parent_attr(path, sizeof(path), parent, "remove");
	snprintf_assert(arg, sizeof(arg), "%d", id);
	return vfio_sysfs_write(path, arg);
}

/* The sysfs directory of virtual device @id, what libvfio opens */
static inline void siov_edu_vdev_path(char *buf, size_t size, int id)
{
	snprintf_assert(buf, size, SIOV_EDU_AUX_DEVICES "/" SIOV_EDU_AUX_NAME "%d",
			id);
}

static inline int __siov_edu_read(struct vfio_pci_device *device, u32 reg,
				  u32 *val)
{
	ssize_t n = pread(device->fd, val, sizeof(*val),
			  device->bars[0].info.offset + reg);

	return n == sizeof(*val) ? 0 : n < 0 ? -errno : -EIO;
}

static inline int __siov_edu_write(struct vfio_pci_device *device, u32 reg,
				   u32 val)
{
	ssize_t n = pwrite(device->fd, &val, sizeof(val),
			   device->bars[0].info.offset + reg);

	return n == sizeof(val) ? 0 : n < 0 ? -errno : -EIO;
}

static inline u32 siov_edu_read(struct vfio_pci_device *device, u32 reg)
{
	u32 val;

	VFIO_ASSERT_EQ(__siov_edu_read(device, reg, &val), 0,
		       "BAR0 read at 0x%x\n", reg);
	return val;
}

static inline void siov_edu_write(struct vfio_pci_device *device, u32 reg,
				  u32 val)
{
	VFIO_ASSERT_EQ(__siov_edu_write(device, reg, val), 0,
		       "BAR0 write at 0x%x\n", reg);
}

/* Ring the doorbell of @vector: the device sends its MSI-X message */
static inline void siov_edu_doorbell(struct vfio_pci_device *device, u32 vector)
{
	siov_edu_write(device, SIOV_EDU_DOORBELL, vector);
}

/* An admin command: completes at once, vector 0 (emulated) fires */
static inline void siov_edu_admin(struct vfio_pci_device *device)
{
	siov_edu_write(device, SIOV_EDU_ADMIN, 1);
}

static inline bool siov_edu_pending(struct vfio_pci_device *device, u32 vector)
{
	u32 word = siov_edu_read(device, SIOV_EDU_MSIX_PBA + 4 * (vector / 32));

	return word & (1u << (vector % 32));
}

static inline u64 siov_edu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/*
 * Wait until the PBA bit of @vector is @pending, polling the register.
 * Returns false if it is not so after SIOV_EDU_WAIT_MS.
 */
static inline bool siov_edu_wait_pending(struct vfio_pci_device *device,
					 u32 vector, bool pending)
{
	u64 deadline = siov_edu_now_ms() + SIOV_EDU_WAIT_MS;

	while (siov_edu_pending(device, vector) != pending) {
		if (siov_edu_now_ms() > deadline)
			return false;
		sched_yield();
	}
	return true;
}

/*
 * Run on every CPU of this task's affinity mask once, then restore it.
 * sched_setaffinity() returns on the CPU it moved the task to, and a CPU
 * returning to user mode has taken the interrupts pending on it: after this,
 * every interrupt that reached a CPU before the call has been handled.
 */
static inline void siov_edu_visit_every_cpu(void)
{
	cpu_set_t saved, one;
	int cpu;

	VFIO_ASSERT_EQ(sched_getaffinity(0, sizeof(saved), &saved), 0);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &saved))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		VFIO_ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
	}
	VFIO_ASSERT_EQ(sched_setaffinity(0, sizeof(saved), &saved), 0);
}

/*
 * Every message of the doorbells rung so far on @device has been written
 * (FLUSH reads 0) and handled by its CPU.  Returns false if FLUSH does not
 * read 0 within SIOV_EDU_WAIT_MS.
 */
static inline bool siov_edu_sync(struct vfio_pci_device *device)
{
	u64 deadline = siov_edu_now_ms() + SIOV_EDU_WAIT_MS;

	while (siov_edu_read(device, SIOV_EDU_FLUSH)) {
		if (siov_edu_now_ms() > deadline)
			return false;
		sched_yield();
	}
	siov_edu_visit_every_cpu();
	return true;
}

#endif /* SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_SIOV_EDU_H */
