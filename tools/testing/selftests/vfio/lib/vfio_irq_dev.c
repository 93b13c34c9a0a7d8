// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device descriptors of the interrupt hardening tests: QEMU's edu (INTx,
 * one MSI), igb (10 MSI-X vectors), the mtty sample mdev (emulated INTx
 * and MSI) and a virtual device of the edu SIOV reference driver (MSI-X:
 * vector 0 emulated, the others IMS).  See libvfio/vfio_irq_dev.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/ioctl.h>

#include <linux/bits.h>
#include <linux/pci_regs.h>
#include <linux/serial_reg.h>

#include <libvfio.h>
#include <libvfio/vfio_irq_dev.h>
#include <libvfio/igb.h>
#include <libvfio/siov_edu.h>

#include "drivers/edu/registers.h"

/* edu: the interrupt status bit the tests raise (not one the device uses) */
#define EDU_IRQ_TEST		0x10000

#define MTTY_TYPE	"/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1"
#define MDEV_DEVICES	"/sys/bus/mdev/devices"

static int sysfs_read_u16(const char *path, u16 *val)
{
	char buf[16] = {};
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (read(fd, buf, sizeof(buf) - 1) <= 0) {
		close(fd);
		return -EIO;
	}
	close(fd);
	*val = strtoul(buf, NULL, 0);
	return 0;
}

/* /dev/vfio/<group> of the sysfs device directory @dir */
static int group_path_of(const char *dir, char *out, size_t size)
{
	char path[PATH_MAX], link[PATH_MAX], *name;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/iommu_group", dir);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -errno;
	link[n] = '\0';
	name = strrchr(link, '/');
	if (snprintf(out, size, "/dev/vfio/%s", name ? name + 1 : link) >=
	    (int)size)
		return -ENAMETOOLONG;
	return 0;
}

static int pci_attach(struct irq_dev *dev, const char *bdf, u16 vendor,
		      u16 device)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	u16 v, d;

	if (!bdf)
		return -EINVAL;
	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", bdf);
	snprintf(path, sizeof(path), "%s/vendor", dir);
	if (sysfs_read_u16(path, &v))
		return -ENODEV;
	snprintf(path, sizeof(path), "%s/device", dir);
	if (sysfs_read_u16(path, &d))
		return -ENODEV;
	if (v != vendor || d != device)
		return -ENODEV;
	if (snprintf(dev->name, sizeof(dev->name), "%s", bdf) >=
	    (int)sizeof(dev->name))
		return -ENAMETOOLONG;
	return group_path_of(dir, dev->group_path, sizeof(dev->group_path));
}

static int edu_attach(struct irq_dev *dev, const char *arg)
{
	return pci_attach(dev, arg, PCI_VENDOR_ID_QEMU, PCI_DEVICE_ID_QEMU_EDU);
}

static int igb_attach(struct irq_dev *dev, const char *arg)
{
	return pci_attach(dev, arg, 0x8086, 0x10c9);
}

static void pci_detach(struct irq_dev *dev)
{
}

static void edu_setup(struct irq_dev *dev, int fd)
{
	irq_dev_bar0_write(dev, fd, EDU_REG_IRQ_ACK, ~0u, 4);
}

static bool edu_fire(struct irq_dev *dev, int fd, u32 index, u32 vector)
{
	if (index > VFIO_PCI_MSI_IRQ_INDEX || vector)
		return false;
	irq_dev_bar0_write(dev, fd, EDU_REG_IRQ_RAISE, EDU_IRQ_TEST, 4);
	return true;
}

static void edu_quiesce(struct irq_dev *dev, int fd)
{
	irq_dev_bar0_write(dev, fd, EDU_REG_IRQ_ACK, ~0u, 4);
}

/*
 * Route each extended cause v to MSI-X vector v: MSI-X mode, no throttling,
 * causes auto-cleared after the message (every EICS write is a new edge).
 */
static void igb_setup(struct irq_dev *dev, int fd)
{
	u32 all = (1u << IGB_MSIX_VECTORS) - 1;
	int v;

	irq_dev_bar0_write(dev, fd, IGB_REG_EIMC, ~0u, 4);
	irq_dev_bar0_write(dev, fd, IGB_REG_GPIE, IGB_GPIE_MSIX_MODE, 4);
	for (v = 0; v < IGB_MSIX_VECTORS; v++)
		irq_dev_bar0_write(dev, fd, IGB_REG_EITR(v), 0, 4);
	irq_dev_bar0_write(dev, fd, IGB_REG_EIAC, all, 4);
	irq_dev_bar0_write(dev, fd, IGB_REG_EIAM, 0, 4);
	irq_dev_bar0_write(dev, fd, IGB_REG_EICR, ~0u, 4);
	irq_dev_bar0_write(dev, fd, IGB_REG_EIMS, all, 4);
}

static bool igb_fire(struct irq_dev *dev, int fd, u32 index, u32 vector)
{
	if (index != VFIO_PCI_MSIX_IRQ_INDEX || vector >= IGB_MSIX_VECTORS)
		return false;
	irq_dev_bar0_write(dev, fd, IGB_REG_EICS, 1u << vector, 4);
	return true;
}

static void nothing(struct irq_dev *dev, int fd)
{
}

static int mtty_attach(struct irq_dev *dev, const char *arg)
{
	static unsigned int seq;
	char dir[PATH_MAX];
	int ret;

	if (access(MTTY_TYPE "/create", W_OK))
		return -ENODEV;
	snprintf(dev->name, sizeof(dev->name),
		 "7a1c0de5-%04x-4b2e-9f00-%012x", seq++ & 0xffff,
		 (unsigned int)getpid());
	ret = vfio_sysfs_write(MTTY_TYPE "/create", dev->name);
	if (ret)
		return ret;
	dev->created = true;
	snprintf(dir, sizeof(dir), MDEV_DEVICES "/%s", dev->name);
	return group_path_of(dir, dev->group_path, sizeof(dev->group_path));
}

static void mtty_detach(struct irq_dev *dev)
{
	char path[PATH_MAX];

	if (!dev->created)
		return;
	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/remove", dev->name);
	VFIO_ASSERT_EQ(vfio_sysfs_write(path, "1"), 0);
	dev->created = false;
}

/* THR empty and IER.THRI written: the UART raises vector 0. */
static bool mtty_fire(struct irq_dev *dev, int fd, u32 index,
		      u32 vector)
{
	if (index > VFIO_PCI_MSI_IRQ_INDEX || vector)
		return false;
	irq_dev_bar0_write(dev, fd, UART_IER, UART_IER_THRI, 1);
	return true;
}

/*
 * vdev: the edu parent @arg is bound to vfio-siov-edu, a virtual device with
 * IRQ_DEV_VDEV_NVEC vectors is created on it; detach removes it and gives
 * the parent back to the driver it had.  Each of removal and unbind may
 * already have happened (the race test does both while the device is open).
 */
static int vdev_attach(struct irq_dev *dev, const char *arg)
{
	char dir[PATH_MAX];
	const char *cdev;
	int ret;

	if (!arg || snprintf(dev->parent, sizeof(dev->parent), "%s", arg) >=
	    (int)sizeof(dev->parent))
		return -EINVAL;
	ret = siov_edu_parent_take(arg, dev->parent_driver,
				   sizeof(dev->parent_driver));
	if (ret)
		return ret;
	dev->bound = true;

	/* an id of this process: runs of the tests do not collide */
	dev->vdev_id = 1000 + getpid() % 60000;
	ret = siov_edu_create(arg, dev->vdev_id, IRQ_DEV_VDEV_NVEC);
	if (ret)
		return ret;
	dev->created = true;
	snprintf(dev->name, sizeof(dev->name), SIOV_EDU_AUX_NAME "%d",
		 dev->vdev_id);
	siov_edu_vdev_path(dir, sizeof(dir), dev->vdev_id);
	/* opened through its cdev, bound to an iommufd */
	cdev = vfio_pci_get_cdev_path(dir);
	ret = snprintf(dev->cdev_path, sizeof(dev->cdev_path), "%s", cdev);
	free((void *)cdev);
	return ret < (int)sizeof(dev->cdev_path) ? 0 : -ENAMETOOLONG;
}

static void vdev_detach(struct irq_dev *dev)
{
	char driver[64];
	int ret;

	if (dev->created) {
		ret = siov_edu_remove(dev->parent, dev->vdev_id);
		/* removed already (-ENODEV), or the parent unbound (-ENOENT) */
		VFIO_ASSERT_TRUE(!ret || ret == -ENODEV || ret == -ENOENT,
				 "siov/remove: %d\n", ret);
		dev->created = false;
	}
	if (!dev->bound)
		return;
	VFIO_ASSERT_EQ(siov_edu_parent_unbind(dev->parent), 0);
	VFIO_ASSERT_EQ(siov_edu_parent_bind(dev->parent, dev->parent_driver),
		       0);
	siov_edu_parent_driver(dev->parent, driver, sizeof(driver));
	VFIO_ASSERT_EQ(strcmp(driver, dev->parent_driver), 0,
		       "%s bound to '%s', was '%s'\n", dev->parent, driver,
		       dev->parent_driver);
	dev->bound = false;
}

/*
 * Vector 0 is emulated: an admin command raises it before the write
 * returns.  The others are IMS: a doorbell queues an edu DMA whose message
 * arrives ~100 ms (virtual time) later.
 */
static bool vdev_fire(struct irq_dev *dev, int fd, u32 index, u32 vector)
{
	if (index != VFIO_PCI_MSIX_IRQ_INDEX || vector >= IRQ_DEV_VDEV_NVEC)
		return false;
	if (vector)
		irq_dev_bar0_write(dev, fd, SIOV_EDU_DOORBELL, vector, 4);
	else
		irq_dev_bar0_write(dev, fd, SIOV_EDU_ADMIN, 1, 4);
	return true;
}

/*
 * FLUSH reads 0 once every queued message has been written; a CPU returning
 * to this task has handled the interrupts that reached it before.
 */
static void vdev_sync(struct irq_dev *dev, int fd)
{
	irq_dev_bar0_read(dev, fd, SIOV_EDU_FLUSH, 4);
	siov_edu_visit_every_cpu();
}

static bool vdev_pending(struct irq_dev *dev, int fd, u32 index, u32 vector)
{
	u32 word = irq_dev_bar0_read(dev, fd,
				     SIOV_EDU_MSIX_PBA + 4 * (vector / 32), 4);

	return index == VFIO_PCI_MSIX_IRQ_INDEX && (word & (1u << (vector % 32)));
}

static const struct irq_dev_kind irq_dev_kinds[] = {
	{
		.name = "edu",
		.attach = edu_attach,
		.detach = pci_detach,
		.setup = edu_setup,
		.fire = edu_fire,
		.quiesce = edu_quiesce,
		.fire_indexes = BIT(VFIO_PCI_INTX_IRQ_INDEX) |
				BIT(VFIO_PCI_MSI_IRQ_INDEX),
		.virt_disintx = true,
		.host_irqs = true,
		.enable0_errno = -ERANGE,
	},
	{
		.name = "igb",
		.attach = igb_attach,
		.detach = pci_detach,
		.setup = igb_setup,
		.fire = igb_fire,
		.quiesce = nothing,
		.fire_indexes = BIT(VFIO_PCI_MSIX_IRQ_INDEX),
		.virt_disintx = true,
		.host_irqs = true,
		.enable0_errno = -ERANGE,
	},
	{
		.name = "mtty",
		.attach = mtty_attach,
		.detach = mtty_detach,
		.setup = nothing,
		.fire = mtty_fire,
		.quiesce = nothing,
		.fire_indexes = BIT(VFIO_PCI_INTX_IRQ_INDEX) |
				BIT(VFIO_PCI_MSI_IRQ_INDEX),
		.sync_fire = true,
		.intx_latch = true,
		.enable0_errno = -EINVAL,
	},
	{
		.name = "vdev",
		.attach = vdev_attach,
		.detach = vdev_detach,
		.setup = nothing,
		.fire = vdev_fire,
		.sync = vdev_sync,
		.pending = vdev_pending,
		.quiesce = nothing,
		.fire_indexes = BIT(VFIO_PCI_MSIX_IRQ_INDEX),
		.slow_fire_div = 8,
		.host_irqs = true,
		.msix_irq_name = "ims-msix",
		.emulated_vectors = BIT(0),
		.enable0_errno = -EINVAL,
		.maskable_msix = true,
	},
};

const struct irq_dev_kind *irq_dev_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(irq_dev_kinds); i++)
		if (!strcmp(irq_dev_kinds[i].name, name))
			return &irq_dev_kinds[i];
	return NULL;
}

static void region_offset(int fd, u32 index, u64 *offset)
{
	struct vfio_region_info info = {
		.argsz = sizeof(info),
		.index = index,
	};

	ioctl_assert(fd, VFIO_DEVICE_GET_REGION_INFO, &info);
	*offset = info.offset;
}

static u8 find_cap(struct irq_dev *dev, u8 id)
{
	u8 pos;
	int n;

	if (!(irq_dev_config_read(dev, dev->fd, PCI_STATUS, 2) &
	      PCI_STATUS_CAP_LIST))
		return 0;
	pos = irq_dev_config_read(dev, dev->fd, PCI_CAPABILITY_LIST, 1);
	for (n = 0; pos >= 0x40 && n < 48; n++) {
		if (irq_dev_config_read(dev, dev->fd, pos, 1) == id)
			return pos;
		pos = irq_dev_config_read(dev, dev->fd, pos + 1, 1);
	}
	return 0;
}

/* A new fd of the cdev, bound to the iommufd and attached to its IOAS */
static int cdev_open_fd(struct irq_dev *dev)
{
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
		.pt_id = dev->iommu->ioas_id,
	};
	int fd, ret;

	fd = open(dev->cdev_path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = __vfio_device_bind_iommufd(fd, dev->iommu->iommufd, NULL);
	if (!ret && ioctl(fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		ret = -errno;
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

int irq_dev_open_fd(struct irq_dev *dev)
{
	int fd;

	if (dev->iommu)
		return cdev_open_fd(dev);
	fd = ioctl(dev->group, VFIO_GROUP_GET_DEVICE_FD, dev->name);
	return fd < 0 ? -errno : fd;
}

/* Through the group in a type1 container */
static void group_open(struct irq_dev *dev)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };

	dev->container = open("/dev/vfio/vfio", O_RDWR);
	VFIO_ASSERT_GE(dev->container, 0);
	dev->group = open(dev->group_path, O_RDWR);
	VFIO_ASSERT_GE(dev->group, 0, "open(%s)\n", dev->group_path);
	ioctl_assert(dev->group, VFIO_GROUP_GET_STATUS, &status);
	VFIO_ASSERT_TRUE(status.flags & VFIO_GROUP_FLAGS_VIABLE);
	ioctl_assert(dev->group, VFIO_GROUP_SET_CONTAINER, &dev->container);
	VFIO_ASSERT_EQ(ioctl(dev->container, VFIO_SET_IOMMU,
			     VFIO_TYPE1v2_IOMMU), 0);
}

void irq_dev_open(struct irq_dev *dev, const char *kind, const char *arg)
{
	u32 i;

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	dev->group = -1;
	dev->container = -1;
	dev->kind = irq_dev_kind_find(kind);
	VFIO_ASSERT_NOT_NULL(dev->kind, "unknown device kind %s\n", kind);
	VFIO_ASSERT_EQ(dev->kind->attach(dev, arg), 0,
		       "no %s device (%s)\n", kind, arg ?: "create");

	if (dev->cdev_path[0])
		dev->iommu = iommu_init("iommufd");
	else
		group_open(dev);

	dev->fd = irq_dev_open_fd(dev);
	VFIO_ASSERT_GE(dev->fd, 0, "open %s: %s\n", dev->name,
		       strerror(-dev->fd));
	region_offset(dev->fd, VFIO_PCI_BAR0_REGION_INDEX, &dev->bar0);
	region_offset(dev->fd, VFIO_PCI_CONFIG_REGION_INDEX, &dev->config);

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		dev->info[i].argsz = sizeof(dev->info[i]);
		dev->info[i].index = i;
		dev->info_ret[i] = ioctl(dev->fd, VFIO_DEVICE_GET_IRQ_INFO,
					 &dev->info[i]) ? -errno : 0;
	}

	if (dev->kind->host_irqs) {
		dev->msi_cap = find_cap(dev, PCI_CAP_ID_MSI);
		dev->msix_cap = find_cap(dev, PCI_CAP_ID_MSIX);
	}
	irq_dev_init_fd(dev, dev->fd);
}

void irq_dev_init_fd(struct irq_dev *dev, int fd)
{
	u16 cmd;

	if (dev->kind->host_irqs) {
		/* Memory and bus master on, virtual INTx disable off. */
		cmd = irq_dev_config_read(dev, fd, PCI_COMMAND, 2);
		cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
		cmd &= ~PCI_COMMAND_INTX_DISABLE;
		irq_dev_config_write(dev, fd, PCI_COMMAND, cmd, 2);
	}
	dev->kind->setup(dev, fd);
}

bool irq_dev_host_vector(const struct irq_dev *dev, u32 index, u32 vector)
{
	if (!dev->kind->host_irqs)
		return false;
	return index != VFIO_PCI_MSIX_IRQ_INDEX || vector >= 32 ||
	       !(dev->kind->emulated_vectors & BIT(vector));
}

void irq_dev_close(struct irq_dev *dev)
{
	if (dev->fd >= 0) {
		dev->kind->quiesce(dev, dev->fd);
		VFIO_ASSERT_EQ(close(dev->fd), 0);
	}
	dev->fd = -1;
	if (dev->iommu) {
		iommu_cleanup(dev->iommu);
		dev->iommu = NULL;
	} else {
		VFIO_ASSERT_EQ(close(dev->group), 0);
		VFIO_ASSERT_EQ(close(dev->container), 0);
	}
	dev->kind->detach(dev);
}

u32 irq_dev_count(const struct irq_dev *dev, u32 index)
{
	if (index >= VFIO_PCI_NUM_IRQS || dev->info_ret[index])
		return 0;
	return dev->info[index].count;
}

static void region_rw(struct irq_dev *dev, int fd, bool write, u64 off,
		      u32 *val, int size)
{
	u8 b = *val;
	u16 w = *val;
	void *p = size == 1 ? (void *)&b : size == 2 ? (void *)&w : (void *)val;
	ssize_t n;

	n = write ? pwrite(fd, p, size, off) : pread(fd, p, size, off);
	/*
	 * closed by another thread, memory decode off during a reset, or the
	 * fd number reused by a cdev fd not bound yet
	 */
	if (n < 0 && dev->racy && (errno == EBADF || errno == EIO ||
				   (dev->iommu && errno == EINVAL)))
		return;
	VFIO_ASSERT_EQ(n, size, "%s at 0x%llx (fd %d): %s\n",
		       write ? "pwrite" : "pread", (unsigned long long)off, fd,
		       strerror(errno));
	if (size == 1)
		*val = b;
	else if (size == 2)
		*val = w;
}

void irq_dev_bar0_write(struct irq_dev *dev, int fd, u64 off, u32 val,
			int size)
{
	region_rw(dev, fd, true, dev->bar0 + off, &val, size);
}

u32 irq_dev_bar0_read(struct irq_dev *dev, int fd, u64 off, int size)
{
	u32 val = 0;

	region_rw(dev, fd, false, dev->bar0 + off, &val, size);
	return val;
}

void irq_dev_config_write(struct irq_dev *dev, int fd, u64 off, u32 val,
			  int size)
{
	region_rw(dev, fd, true, dev->config + off, &val, size);
}

u32 irq_dev_config_read(struct irq_dev *dev, int fd, u64 off, int size)
{
	u32 val = 0;

	region_rw(dev, fd, false, dev->config + off, &val, size);
	return val;
}

int irq_dev_reset(int fd)
{
	return ioctl(fd, VFIO_DEVICE_RESET, NULL) ? -errno : 0;
}

void irq_dev_irq_name(const struct irq_dev *dev, u32 index, u32 vector,
		      char *buf, size_t size)
{
	if (index == VFIO_PCI_INTX_IRQ_INDEX)
		snprintf(buf, size, "vfio-intx(%s)", dev->name);
	else if (index == VFIO_PCI_MSIX_IRQ_INDEX && dev->kind->msix_irq_name)
		snprintf(buf, size, "vfio-%s[%u](%s)", dev->kind->msix_irq_name,
			 vector, dev->name);
	else
		snprintf(buf, size, "vfio-msi%s[%u](%s)",
			 index == VFIO_PCI_MSIX_IRQ_INDEX ? "x" : "", vector,
			 dev->name);
}

/* Append @s and a NUL to @buf (of @size, @len used); false if full. */
static bool append(char *buf, size_t size, size_t *len, const char *s,
		   size_t n)
{
	if (*len + n + 1 > size)
		return false;
	memcpy(buf + *len, s, n);
	buf[*len + n] = '\0';
	*len += n + 1;
	return true;
}

int irq_proc_dev_names(const struct irq_dev *dev, char *names, size_t size)
{
	char line[4096], suffix[80];
	size_t len = 0, slen;
	int n = 0;
	char *p, *start, *end;
	FILE *f;

	snprintf(suffix, sizeof(suffix), "(%s)", dev->name);
	slen = strlen(suffix);
	f = fopen("/proc/interrupts", "r");
	VFIO_ASSERT_NOT_NULL(f);
	while (fgets(line, sizeof(line), f)) {
		for (p = line; (end = strstr(p, suffix)); p = end + slen) {
			/* the name starts after the previous blank or comma */
			for (start = end; start > line && start[-1] != ' ' &&
			     start[-1] != ','; start--)
				;
			VFIO_ASSERT_TRUE(append(names, size, &len, start,
						end + slen - start));
			n++;
		}
	}
	fclose(f);
	return n;
}

int irq_proc_lines(char *buf, size_t size)
{
	char line[4096], out[4096], *tok, *save;
	size_t len = 0, olen;
	int n = 0;
	FILE *f;

	f = fopen("/proc/interrupts", "r");
	VFIO_ASSERT_NOT_NULL(f);
	VFIO_ASSERT_NOT_NULL(fgets(line, sizeof(line), f));	/* CPU header */
	while (fgets(line, sizeof(line), f)) {
		olen = 0;
		out[0] = '\0';
		for (tok = strtok_r(line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			/* leave out the per-CPU counts */
			if (olen && strspn(tok, "0123456789") == strlen(tok))
				continue;
			olen += snprintf(out + olen, sizeof(out) - olen, "%s%s",
					 olen ? " " : "", tok);
			if (olen >= sizeof(out))
				break;
		}
		VFIO_ASSERT_TRUE(append(buf, size, &len, out, strlen(out)));
		n++;
	}
	fclose(f);
	return n;
}

long irq_proc_count(const char *name)
{
	char line[4096], *p, *end;
	size_t len = strlen(name);
	long total = -1, n;
	FILE *f;

	f = fopen("/proc/interrupts", "r");
	VFIO_ASSERT_NOT_NULL(f);
	while (total < 0 && fgets(line, sizeof(line), f)) {
		p = strstr(line, name);
		if (!p || (p[len] && p[len] != '\n' && p[len] != ','))
			continue;
		p = strchr(line, ':');
		if (!p)
			continue;
		total = 0;
		for (p++; ; p = end) {
			n = strtol(p, &end, 10);
			if (end == p)
				break;
			total += n;
		}
	}
	fclose(f);
	return total;
}

bool irq_test_param(const char *env, const char *key, u64 *val)
{
	char line[4096], *tok, *save;
	size_t len = strlen(key);
	const char *v;
	FILE *f;

	/* the kernel command line first: it overrides tests.list */
	f = fopen("/proc/cmdline", "r");
	if (f && fgets(line, sizeof(line), f)) {
		for (tok = strtok_r(line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			if (strncmp(tok, key, len) || tok[len] != '=')
				continue;
			*val = strtoull(tok + len + 1, NULL, 0);
			fclose(f);
			return true;
		}
	}
	if (f)
		fclose(f);
	v = getenv(env);
	if (v)
		*val = strtoull(v, NULL, 0);
	return v;
}
