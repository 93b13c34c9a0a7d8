// SPDX-License-Identifier: GPL-2.0-only
/*
 * SIOV virtual devices of the edu reference driver (samples/vfio-siov-edu),
 * tested against their contract, docs/siov-edu.rst: MSI-X vector 0 emulated,
 * vectors 1..nvec-1 backed by IMS entries of the edu parent, per-vector
 * mask with a PBA, REQ on removal.
 *
 * The parent edu (@BDF) is bound to vfio-siov-edu for each test and given
 * back to its previous driver afterwards, in the harness's parent process
 * (FIXTURE_TEARDOWN_PARENT): by then the test's process is gone and with it
 * every virtual device it had open, so the restore cannot block on one.
 *
 * Virtual devices are opened through libvfio by their sysfs directory, with
 * iommufd (cdev) or a type1 container (group), one fixture variant each.
 *
 * Nothing sleeps to synchronise: interrupts are waited for on their eventfd
 * with poll(), pending bits by polling the PBA, and "no other vector fired"
 * is asserted after siov_edu_sync(): FLUSH reads 0 (every message written)
 * and the test has run on every CPU (each has taken its pending interrupts).
 *
 * Environment:
 *   SIOV_EXPECT=available|refused  whether virtual devices can be created on
 *				    this boot (default available)
 *   SIOV_PARENT2=<BDF>		    a second edu, for the siov_two tests
 *				    (skipped without it)
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/resource.h>
#include <sys/wait.h>

#include <linux/compiler.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/siov_edu.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest_harness.h"
#include "vfio_pci_irq_test.h"

#define MSIX		VFIO_PCI_MSIX_IRQ_INDEX
#define REQ		VFIO_PCI_REQ_IRQ_INDEX

/* Vectors of the virtual devices of the functional tests */
#define NVEC		8
/* The scale test: this many virtual devices with this many vectors each */
#define SCALE_VDEVS	64
#define SCALE_NVEC	64

/* Each IMS message is a 100 ms edu DMA (virtual time) */
#define SIOV_TEST_TIMEOUT	300
#define SCALE_TIMEOUT		1500

static const char *parent_bdf;
static const char *parent2_bdf;

static bool siov_expected(void)
{
	const char *e = getenv("SIOV_EXPECT");

	return !e || strcmp(e, "refused");
}

/* Auxiliary devices of the edu SIOV driver that exist */
static int count_aux_vdevs(void)
{
	struct dirent *de;
	DIR *dir;
	int n = 0;

	dir = opendir(SIOV_EDU_AUX_DEVICES);
	if (!dir)
		return 0;
	while ((de = readdir(dir)))
		n += !strncmp(de->d_name, SIOV_EDU_AUX_NAME,
			      strlen(SIOV_EDU_AUX_NAME));
	closedir(dir);
	return n;
}

static bool vdev_exists(int id)
{
	char path[PATH_MAX];

	siov_edu_vdev_path(path, sizeof(path), id);
	return !access(path, F_OK);
}

/*
 * Lines of /proc/interrupts of the EDU-IMS chip containing @match: returns
 * how many, their events summed over CPUs in @events (if not NULL); each
 * must have @want_each events if that is not negative (else -EIO).
 */
static int ims_lines(const char *match, long *events, long want_each)
{
	char line[1024];
	int ncpus = 0, lines = 0;
	FILE *f;

	f = fopen("/proc/interrupts", "r");
	VFIO_ASSERT_NOT_NULL(f);
	if (events)
		*events = 0;
	if (fgets(line, sizeof(line), f)) {
		char *tok;

		for (tok = strtok(line, " \t\n"); tok; tok = strtok(NULL, " \t\n"))
			ncpus += !strncmp(tok, "CPU", 3);
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');
		long sum = 0;
		int cpu;

		if (!strstr(line, "EDU-IMS") || (match && !strstr(line, match)))
			continue;
		lines++;
		for (cpu = 0; p && cpu < ncpus; cpu++)
			sum += strtol(p + 1, &p, 10);
		if (events)
			*events += sum;
		if (want_each >= 0 && sum != want_each) {
			fprintf(stderr, "%ld events, want %ld: %s", sum,
				want_each, line);
			lines = -EIO;
			break;
		}
	}
	fclose(f);
	return lines;
}

/* An open virtual device, an eventfd per vector and one for REQ */
struct vdev {
	int id;
	int nvec;
	char path[PATH_MAX];
	const char *name;
	char match[64];		/* "(vfio_siov_edu.vdev.<id>)" */
	struct vfio_pci_device *device;
	int *efd;
	int req;
};

static struct vdev *vdev_open(struct iommu *iommu, int id, int nvec)
{
	struct vdev *v = calloc_assert(1, sizeof(*v));
	int k;

	v->id = id;
	v->nvec = nvec;
	siov_edu_vdev_path(v->path, sizeof(v->path), id);
	v->name = sysfs_device_name(v->path);
	snprintf_assert(v->match, sizeof(v->match), "(%s)", v->name);
	v->device = vfio_pci_device_init(v->path, iommu);
	/* What a guest driver does first */
	vfio_pci_cmd_set(v->device, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	v->efd = calloc_assert(nvec, sizeof(*v->efd));
	for (k = 0; k < nvec; k++)
		v->efd[k] = eventfd_nonblock();
	v->req = eventfd_nonblock();
	return v;
}

/* Create virtual device @id with @nvec vectors and open it */
static struct vdev *vdev_new(struct iommu *iommu, int id, int nvec)
{
	VFIO_ASSERT_EQ(siov_edu_create(parent_bdf, id, nvec), 0,
		       "siov/create %d %d\n", id, nvec);
	return vdev_open(iommu, id, nvec);
}

static void vdev_close(struct vdev *v)
{
	int k;

	vfio_pci_device_cleanup(v->device);
	for (k = 0; k < v->nvec; k++)
		VFIO_ASSERT_EQ(close(v->efd[k]), 0);
	VFIO_ASSERT_EQ(close(v->req), 0);
	free(v->efd);
	free(v);
}

static int msix_set(struct vdev *v, u32 start, u32 count)
{
	return __vfio_pci_set_irqs_eventfd(v->device, VFIO_IRQ_SET_ACTION_TRIGGER,
					   MSIX, start, count, &v->efd[start]);
}

static int msix_disable(struct vdev *v)
{
	return __vfio_pci_set_irqs_none(v->device, VFIO_IRQ_SET_ACTION_TRIGGER,
					MSIX, 0, 0);
}

static int mask(struct vdev *v, u32 action, u32 start, u32 count)
{
	return __vfio_pci_set_irqs_none(v->device, action, MSIX, start, count);
}

static int req_set(struct vdev *v)
{
	return __vfio_pci_set_irqs_eventfd(v->device, VFIO_IRQ_SET_ACTION_TRIGGER,
					   REQ, 0, 1, &v->req);
}

/* Make vector @k of @v fire: its doorbell, or an admin command for 0 */
static void vdev_fire(struct vdev *v, int k)
{
	if (k)
		siov_edu_doorbell(v->device, k);
	else
		siov_edu_admin(v->device);
}

static u32 vdev_reg(struct vdev *v, u32 reg)
{
	return siov_edu_read(v->device, reg);
}

static char *vector_name(char *buf, size_t size, struct vdev *v, int k)
{
	snprintf_assert(buf, size, "vfio-ims-msix[%d](%s)", k, v->name);
	return buf;
}

/* No vector of @v has been signalled since its eventfd was drained */
#define ASSERT_QUIET(_v) do {						\
	struct vdev *__v = (_v);					\
	int __k;							\
									\
	ASSERT_TRUE(siov_edu_sync(__v->device));			\
	for (__k = 0; __k < __v->nvec; __k++) {			\
		ASSERT_EQ(0, eventfd_drain(__v->efd[__k]))		\
			TH_LOG("%s vector %d", __v->name, __k);		\
	}								\
} while (0)

/* Vector @k of @v signalled exactly once, and nothing else of @v */
#define ASSERT_ONLY(_v, _k) do {					\
	struct vdev *__w = (_v);					\
	int __j = (_k);							\
									\
	ASSERT_EQ(1, eventfd_wait(__w->efd[__j], SIOV_EDU_WAIT_MS))	\
		TH_LOG("%s vector %d", __w->name, __j);			\
	ASSERT_QUIET(__w);						\
} while (0)

static void parent_setup(struct __test_metadata *_metadata, char *saved,
			 size_t size)
{
	/* No teardown follows a failed setup: siov_edu_parent_take() restores */
	ASSERT_EQ(0, siov_edu_parent_take(parent_bdf, saved, size));
	ASSERT_EQ(0, count_aux_vdevs());
}

/* Give @bdf back to its @saved driver; removes the devices it has left */
static void parent_restore(struct __test_metadata *_metadata, const char *bdf,
			   const char *saved)
{
	char driver[64];

	EXPECT_EQ(0, siov_edu_parent_unbind(bdf));
	EXPECT_EQ(0, siov_edu_parent_bind(bdf, saved));
	siov_edu_parent_driver(bdf, driver, sizeof(driver));
	EXPECT_STREQ(saved, driver);
}

/* Runs once the test's process is gone, with every fd it had */
static void parent_teardown(struct __test_metadata *_metadata,
			    const char *saved)
{
	parent_restore(_metadata, parent_bdf, saved);
	EXPECT_EQ(0, count_aux_vdevs());
	EXPECT_EQ(0, ims_lines(NULL, NULL, -1));
}

FIXTURE(siov) {
	char saved_driver[64];
	struct iommu *iommu;
};

FIXTURE_VARIANT(siov) {
	const char *iommu_mode;
};

/* cdev: /dev/vfio/devices/vfioN bound to an iommufd */
FIXTURE_VARIANT_ADD(siov, cdev) {
	.iommu_mode = "iommufd",
};

/* group: /dev/vfio/G in a type1 container */
FIXTURE_VARIANT_ADD(siov, group) {
	.iommu_mode = "vfio_type1v2_iommu",
};

FIXTURE_SETUP(siov)
{
	parent_setup(_metadata, self->saved_driver, sizeof(self->saved_driver));
	self->iommu = iommu_init(variant->iommu_mode);
}

FIXTURE_TEARDOWN_PARENT(siov)
{
	parent_teardown(_metadata, self->saved_driver);
}

/* Where the parent has no IMS domain, no virtual device can be created */
TEST_F(siov, refused)
{
	char path[PATH_MAX], buf[64];
	FILE *f;

	if (siov_expected())
		SKIP(return, "virtual devices are expected to be available");

	ASSERT_EQ(-EOPNOTSUPP, siov_edu_create(parent_bdf, 1, NVEC));
	ASSERT_EQ(0, count_aux_vdevs());
	siov_edu_parent_attr(path, sizeof(path), parent_bdf, "vdevs");
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	ASSERT_EQ(0, ims_lines(NULL, NULL, -1));
}

/* siov/create, siov/remove and siov/vdevs, with their errors */
TEST_F(siov, create_remove)
{
	char path[PATH_MAX], buf[256];
	static const char * const bad[] = {
		"1", "x 8", "1 x", "1 0", "1 2049", "65536 1", "-1 1",
	};
	ssize_t n;
	size_t i;
	int fd;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	siov_edu_parent_attr(path, sizeof(path), parent_bdf, "create");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(-EINVAL, vfio_sysfs_write(path, bad[i]))
			TH_LOG("create \"%s\"", bad[i]);
	}
	ASSERT_EQ(0, count_aux_vdevs());

	ASSERT_EQ(0, siov_edu_create(parent_bdf, 7, NVEC));
	ASSERT_EQ(-EEXIST, siov_edu_create(parent_bdf, 7, 4));
	ASSERT_EQ(0, siov_edu_create(parent_bdf, SIOV_EDU_MAX_ID,
				     SIOV_EDU_MAX_NVEC));
	ASSERT_EQ(0, siov_edu_create(parent_bdf, 0, 1));
	ASSERT_TRUE(vdev_exists(0));
	ASSERT_TRUE(vdev_exists(7));
	ASSERT_TRUE(vdev_exists(SIOV_EDU_MAX_ID));
	ASSERT_EQ(3, count_aux_vdevs());

	siov_edu_parent_attr(path, sizeof(path), parent_bdf, "vdevs");
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	ASSERT_STREQ("0 1\n7 8\n65535 2048\n", buf);

	ASSERT_EQ(-ENODEV, siov_edu_remove(parent_bdf, 3));
	ASSERT_EQ(0, siov_edu_remove(parent_bdf, 7));
	ASSERT_FALSE(vdev_exists(7));
	ASSERT_EQ(-ENODEV, siov_edu_remove(parent_bdf, 7));
	ASSERT_EQ(0, siov_edu_remove(parent_bdf, 0));
	ASSERT_EQ(0, siov_edu_remove(parent_bdf, SIOV_EDU_MAX_ID));
	ASSERT_EQ(0, count_aux_vdevs());

	/* An id is free again once removed */
	ASSERT_EQ(0, siov_edu_create(parent_bdf, 7, 2));
	ASSERT_EQ(0, siov_edu_remove(parent_bdf, 7));
}

/* VFIO_DEVICE_GET_INFO, regions, config space and BAR0 registers */
TEST_F(siov, device_info)
{
	struct vdev *v;
	struct vfio_pci_device *d;
	struct vfio_region_info region;
	u32 cap, table, pba, val;
	char byte;
	u64 big;
	int i;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 5, NVEC);
	d = v->device;

	ASSERT_EQ(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET,
		  d->info.flags & (VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET));
	ASSERT_EQ(VFIO_PCI_NUM_REGIONS, d->info.num_regions);
	ASSERT_EQ(VFIO_PCI_NUM_IRQS, d->info.num_irqs);

	ASSERT_EQ(SIOV_EDU_CONFIG_SIZE, d->config_space.size);
	ASSERT_TRUE(d->config_space.flags & VFIO_REGION_INFO_FLAG_READ);
	ASSERT_TRUE(d->config_space.flags & VFIO_REGION_INFO_FLAG_WRITE);
	ASSERT_EQ(SIOV_EDU_BAR0_SIZE, d->bars[0].info.size);
	ASSERT_TRUE(d->bars[0].info.flags & VFIO_REGION_INFO_FLAG_READ);
	ASSERT_TRUE(d->bars[0].info.flags & VFIO_REGION_INFO_FLAG_WRITE);
	ASSERT_FALSE(d->bars[0].info.flags & VFIO_REGION_INFO_FLAG_MMAP);
	for (i = VFIO_PCI_BAR1_REGION_INDEX; i < VFIO_PCI_NUM_REGIONS; i++) {
		if (i == VFIO_PCI_CONFIG_REGION_INDEX)
			continue;
		region = (struct vfio_region_info) {
			.argsz = sizeof(region), .index = i,
		};
		ASSERT_EQ(0, ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &region));
		ASSERT_EQ(0, region.size) TH_LOG("region %d", i);
	}

	/* Config space */
	ASSERT_EQ(SIOV_EDU_VENDOR, vfio_pci_config_readw(d, PCI_VENDOR_ID));
	ASSERT_EQ(SIOV_EDU_DEVICE, vfio_pci_config_readw(d, PCI_DEVICE_ID));
	ASSERT_EQ(PCI_STATUS_CAP_LIST, vfio_pci_config_readw(d, PCI_STATUS));
	/* Class code 0xff0000 above revision 0 */
	ASSERT_EQ(0xff000000, vfio_pci_config_readl(d, PCI_CLASS_REVISION));
	ASSERT_EQ(SIOV_EDU_SUBSYS_VENDOR,
		  vfio_pci_config_readw(d, PCI_SUBSYSTEM_VENDOR_ID));
	ASSERT_EQ(SIOV_EDU_SUBSYS_DEVICE,
		  vfio_pci_config_readw(d, PCI_SUBSYSTEM_ID));
	ASSERT_EQ(SIOV_EDU_MSIX_CAP, vfio_pci_config_readb(d, PCI_CAPABILITY_LIST));
	cap = SIOV_EDU_MSIX_CAP;
	ASSERT_EQ(PCI_CAP_ID_MSIX, vfio_pci_config_readb(d, cap));
	ASSERT_EQ(0, vfio_pci_config_readb(d, cap + 1));
	ASSERT_EQ(NVEC - 1, vfio_pci_config_readw(d, cap + PCI_MSIX_FLAGS) &
		  PCI_MSIX_FLAGS_QSIZE);
	table = vfio_pci_config_readl(d, cap + PCI_MSIX_TABLE);
	pba = vfio_pci_config_readl(d, cap + PCI_MSIX_PBA);
	ASSERT_EQ(SIOV_EDU_MSIX_TABLE, table);	/* BIR 0 */
	ASSERT_EQ(SIOV_EDU_MSIX_PBA, pba);

	/* Command: MEMORY and MASTER writable, the rest reads 0 */
	vfio_pci_config_writew(d, PCI_COMMAND, 0xffff);
	ASSERT_EQ(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
		  vfio_pci_config_readw(d, PCI_COMMAND));
	vfio_pci_config_writew(d, PCI_COMMAND, 0);
	ASSERT_EQ(0, vfio_pci_config_readw(d, PCI_COMMAND));
	vfio_pci_cmd_set(d, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	/* Read-only fields ignore writes */
	vfio_pci_config_writew(d, PCI_VENDOR_ID, 0xabcd);
	ASSERT_EQ(SIOV_EDU_VENDOR, vfio_pci_config_readw(d, PCI_VENDOR_ID));

	/* BAR0: 64 KiB, 32-bit memory, size probing works */
	vfio_pci_config_writel(d, PCI_BASE_ADDRESS_0, ~0u);
	val = vfio_pci_config_readl(d, PCI_BASE_ADDRESS_0);
	ASSERT_EQ((u32)~(SIOV_EDU_BAR0_SIZE - 1),
		  val & PCI_BASE_ADDRESS_MEM_MASK);
	ASSERT_EQ(PCI_BASE_ADDRESS_SPACE_MEMORY | PCI_BASE_ADDRESS_MEM_TYPE_32,
		  val & ~PCI_BASE_ADDRESS_MEM_MASK);
	ASSERT_EQ(0, vfio_pci_config_readl(d, PCI_BASE_ADDRESS_1));
	vfio_pci_config_writel(d, PCI_BASE_ADDRESS_0, 0);

	/* Bad config accesses: 3 bytes, unaligned */
	ASSERT_EQ(-1, pread(d->fd, &val, 3, d->config_space.offset));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, pread(d->fd, &val, 2, d->config_space.offset + 1));
	ASSERT_EQ(EINVAL, errno);

	/* BAR0 registers */
	ASSERT_EQ(SIOV_EDU_VERSION_1_0, vdev_reg(v, SIOV_EDU_VERSION));
	ASSERT_EQ(NVEC, vdev_reg(v, SIOV_EDU_NVEC));
	ASSERT_EQ(5, vdev_reg(v, SIOV_EDU_VDEV_ID));
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_ADMIN_DONE));
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_DROPPED));
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_FLUSH));
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_MSIX_PBA));
	/* The MSI-X table is storage */
	siov_edu_write(d, SIOV_EDU_MSIX_TABLE + 16 + 8, 0x1234);
	ASSERT_EQ(0x1234, vdev_reg(v, SIOV_EDU_MSIX_TABLE + 16 + 8));

	/* Bad BAR0 accesses: 1, 2, 8 bytes, unaligned */
	ASSERT_EQ(-1, pread(d->fd, &byte, 1, d->bars[0].info.offset));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, pread(d->fd, &val, 2, d->bars[0].info.offset));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, pread(d->fd, &big, 8, d->bars[0].info.offset));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-EINVAL, __siov_edu_read(d, SIOV_EDU_VERSION + 2, &val));

	vdev_close(v);
}

/* VFIO_DEVICE_GET_IRQ_INFO per the contract's table */
TEST_F(siov, irq_info)
{
	struct vfio_irq_info info;
	struct vdev *v;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 1, NVEC);

	ASSERT_EQ(0, __vfio_pci_get_irq_info(v->device, VFIO_PCI_INTX_IRQ_INDEX,
					     &info));
	ASSERT_EQ(0, info.count);
	ASSERT_EQ(0, __vfio_pci_get_irq_info(v->device, VFIO_PCI_MSI_IRQ_INDEX,
					     &info));
	ASSERT_EQ(0, info.count);
	ASSERT_EQ(0, __vfio_pci_get_irq_info(v->device, VFIO_PCI_ERR_IRQ_INDEX,
					     &info));
	ASSERT_EQ(0, info.count);

	ASSERT_EQ(0, __vfio_pci_get_irq_info(v->device, MSIX, &info));
	ASSERT_EQ(NVEC, info.count);
	ASSERT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE, info.flags);

	ASSERT_EQ(0, __vfio_pci_get_irq_info(v->device, REQ, &info));
	ASSERT_EQ(1, info.count);
	ASSERT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, info.flags);

	ASSERT_EQ(-EINVAL, __vfio_pci_get_irq_info(v->device, VFIO_PCI_NUM_IRQS,
						   &info));

	/* Another virtual device, another nvec */
	vdev_close(v);
	v = vdev_new(self->iommu, 2, 3);
	ASSERT_EQ(0, __vfio_pci_get_irq_info(v->device, MSIX, &info));
	ASSERT_EQ(3, info.count);
	vdev_close(v);
}

/* Doorbell k: exactly one signal on vector k, none elsewhere */
TEST_F_TIMEOUT(siov, doorbell_per_vector, SIOV_TEST_TIMEOUT)
{
	char name[64];
	struct vdev *v;
	int k;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 3, NVEC);
	ASSERT_EQ(0, msix_set(v, 0, NVEC));

	for (k = 0; k < NVEC; k++) {
		siov_edu_doorbell(v->device, k);
		ASSERT_ONLY(v, k);
	}
	/* Reverse order: an off-by-one mapping that wraps */
	for (k = NVEC - 1; k >= 0; k--) {
		siov_edu_doorbell(v->device, k);
		ASSERT_ONLY(v, k);
	}
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_DROPPED));
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_ADMIN_DONE));

	/* Vectors 1.. were host interrupts of the IMS chip, twice each */
	ASSERT_EQ(-1, proc_interrupts_count(vector_name(name, sizeof(name), v, 0)));
	for (k = 1; k < NVEC; k++) {
		ASSERT_EQ(2, proc_interrupts_count(vector_name(name, sizeof(name),
							       v, k)));
	}
	ASSERT_EQ(NVEC - 1, ims_lines(v->match, NULL, 2));

	vdev_close(v);
}

/* IMS entries come with a vector's eventfd and go with MSI-X disable */
TEST_F_TIMEOUT(siov, enable_disable, SIOV_TEST_TIMEOUT)
{
	char name[64];
	struct vdev *v;
	int k;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 4, NVEC);
	ASSERT_EQ(0, ims_lines(v->match, NULL, -1));

	/* Vectors 0 (emulated) and 1 (IMS) */
	ASSERT_EQ(0, msix_set(v, 0, 2));
	ASSERT_EQ(1, ims_lines(v->match, NULL, 0));
	ASSERT_EQ(0, proc_interrupts_count(vector_name(name, sizeof(name), v, 1)));
	ASSERT_EQ(-1, proc_interrupts_count(vector_name(name, sizeof(name), v, 0)));
	siov_edu_doorbell(v->device, 1);
	ASSERT_ONLY(v, 1);

	/* No eventfd, or beyond nvec: nothing sent, DROPPED counts it */
	siov_edu_doorbell(v->device, 5);
	siov_edu_doorbell(v->device, NVEC);
	ASSERT_QUIET(v);
	ASSERT_EQ(2, vdev_reg(v, SIOV_EDU_DROPPED));

	/* Add vector 5 to the live set */
	ASSERT_EQ(0, msix_set(v, 5, 1));
	ASSERT_EQ(2, ims_lines(v->match, NULL, -1));
	siov_edu_doorbell(v->device, 5);
	ASSERT_ONLY(v, 5);
	siov_edu_doorbell(v->device, 1);
	ASSERT_ONLY(v, 1);

	/* Disable: every IMS interrupt of the device is gone */
	ASSERT_EQ(0, msix_disable(v));
	ASSERT_EQ(0, ims_lines(v->match, NULL, -1));
	siov_edu_doorbell(v->device, 1);
	siov_edu_admin(v->device);
	ASSERT_QUIET(v);
	ASSERT_EQ(3, vdev_reg(v, SIOV_EDU_DROPPED));
	ASSERT_EQ(1, vdev_reg(v, SIOV_EDU_ADMIN_DONE));

	/* And enabled again */
	ASSERT_EQ(0, msix_set(v, 0, NVEC));
	ASSERT_EQ(NVEC - 1, ims_lines(v->match, NULL, 0));
	for (k = 0; k < NVEC; k++) {
		vdev_fire(v, k);
		ASSERT_ONLY(v, k);
	}

	ASSERT_EQ(0, msix_disable(v));
	ASSERT_EQ(0, ims_lines(v->match, NULL, -1));
	vdev_close(v);
}

/* Admin commands complete on vector 0, the emulated one */
TEST_F_TIMEOUT(siov, admin, SIOV_TEST_TIMEOUT)
{
	char name[64];
	struct vdev *v;
	int i;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 6, NVEC);
	ASSERT_EQ(0, msix_set(v, 0, NVEC));

	for (i = 1; i <= 3; i++) {
		siov_edu_admin(v->device);
		/* Completes at once: signalled when the write returns */
		ASSERT_EQ(1, eventfd_drain(v->efd[0]));
		ASSERT_EQ(i, vdev_reg(v, SIOV_EDU_ADMIN_DONE));
		ASSERT_QUIET(v);
	}
	/* No host interrupt for vector 0 */
	ASSERT_EQ(-1, proc_interrupts_count(vector_name(name, sizeof(name), v, 0)));

	/* Reset clears the counters, not the interrupt set-up */
	vfio_pci_device_reset(v->device);
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_ADMIN_DONE));
	siov_edu_doorbell(v->device, NVEC);
	ASSERT_QUIET(v);
	ASSERT_EQ(1, vdev_reg(v, SIOV_EDU_DROPPED));
	vfio_pci_device_reset(v->device);
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_DROPPED));
	siov_edu_admin(v->device);
	ASSERT_ONLY(v, 0);
	siov_edu_doorbell(v->device, 2);
	ASSERT_ONLY(v, 2);

	vdev_close(v);
}

struct firing {
	struct vdev *v;
	int vector;
	atomic_bool stop;
	/* Written by the firing thread only */
	u64 fired;
	u64 received;
	u64 lost;
};

static void *fire_continuously(void *arg)
{
	struct firing *f = arg;
	u64 got;

	while (!atomic_load(&f->stop)) {
		vdev_fire(f->v, f->vector);
		WRITE_ONCE(f->fired, f->fired + 1);
		got = eventfd_wait(f->v->efd[f->vector], SIOV_EDU_WAIT_MS);
		if (!got) {
			WRITE_ONCE(f->lost, f->lost + 1);
			break;
		}
		f->received += got;
	}
	return NULL;
}

/*
 * Vectors added one at a time to the live set while vector 1 fires
 * continuously: every add works at once and vector 1 loses nothing.
 */
TEST_F_TIMEOUT(siov, add_while_firing, SIOV_TEST_TIMEOUT)
{
	struct firing f = { .vector = 1 };
	pthread_t thread;
	u64 fired_before;
	struct vdev *v;
	int k;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 8, NVEC);
	f.v = v;
	ASSERT_EQ(0, msix_set(v, 0, 2));
	ASSERT_EQ(0, pthread_create(&thread, NULL, fire_continuously, &f));

	for (k = 2; k < NVEC; k++) {
		fired_before = READ_ONCE(f.fired);
		ASSERT_EQ(0, msix_set(v, k, 1));
		siov_edu_doorbell(v->device, k);
		ASSERT_EQ(1, eventfd_wait(v->efd[k], SIOV_EDU_WAIT_MS))
			TH_LOG("added vector %d: DROPPED %u, vector 1 fired %llu",
			       k, vdev_reg(v, SIOV_EDU_DROPPED),
			       (unsigned long long)READ_ONCE(f.fired));
		/* The emulated vector, while the other fires */
		siov_edu_admin(v->device);
		ASSERT_EQ(1, eventfd_wait(v->efd[0], SIOV_EDU_WAIT_MS));
		/* Vector 1 fires across the next add as well */
		while (READ_ONCE(f.fired) == fired_before && !READ_ONCE(f.lost))
			sched_yield();
	}

	atomic_store(&f.stop, true);
	ASSERT_EQ(0, pthread_join(thread, NULL));
	printf("vector 1 fired %llu received %llu while %d vectors were added\n",
	       (unsigned long long)f.fired, (unsigned long long)f.received,
	       NVEC - 2);
	ASSERT_EQ(0, f.lost);
	ASSERT_EQ(f.fired, f.received);
	ASSERT_LE(NVEC - 2, f.fired);
	ASSERT_QUIET(v);
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_DROPPED));
	ASSERT_EQ(NVEC - 1, ims_lines(v->match, NULL, -1));

	for (k = 0; k < NVEC; k++) {
		vdev_fire(v, k);
		ASSERT_ONLY(v, k);
	}
	vdev_close(v);
}

/*
 * A masked vector latches its interrupt in the PBA and signals nothing;
 * unmask signals it exactly once and clears the bit.  For an IMS vector
 * (@k >= 1) and the emulated one (@k == 0).
 */
static void mask_one(struct __test_metadata *_metadata, struct vdev *v, int k,
		     int other)
{
	ASSERT_EQ(0, mask(v, VFIO_IRQ_SET_ACTION_MASK, k, 1));
	vdev_fire(v, k);
	ASSERT_TRUE(siov_edu_wait_pending(v->device, k, true))
		TH_LOG("PBA bit of vector %d", k);
	ASSERT_QUIET(v);

	/* The others are not masked */
	vdev_fire(v, other);
	ASSERT_ONLY(v, other);
	ASSERT_TRUE(siov_edu_pending(v->device, k));

	/* Two interrupts while masked are one pending bit */
	vdev_fire(v, k);
	ASSERT_QUIET(v);
	ASSERT_TRUE(siov_edu_pending(v->device, k));

	ASSERT_EQ(0, mask(v, VFIO_IRQ_SET_ACTION_UNMASK, k, 1));
	ASSERT_ONLY(v, k);
	ASSERT_FALSE(siov_edu_pending(v->device, k));

	/* Masked and unmasked with nothing pending: nothing */
	ASSERT_EQ(0, mask(v, VFIO_IRQ_SET_ACTION_MASK, k, 1));
	ASSERT_EQ(0, mask(v, VFIO_IRQ_SET_ACTION_UNMASK, k, 1));
	ASSERT_QUIET(v);

	/* Unmasked: delivered directly again */
	vdev_fire(v, k);
	ASSERT_ONLY(v, k);
	ASSERT_FALSE(siov_edu_pending(v->device, k));
}

TEST_F_TIMEOUT(siov, mask_unmask, SIOV_TEST_TIMEOUT)
{
	u8 bools[2] = { 1, 0 };
	struct vdev *v;
	int other;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 9, NVEC);
	ASSERT_EQ(0, msix_set(v, 0, NVEC));

	mask_one(_metadata, v, 1, 2);
	mask_one(_metadata, v, 0, 3);
	mask_one(_metadata, v, NVEC - 1, 0);

	/* DATA_BOOL selects: vector 2 masked, 3 not */
	ASSERT_EQ(0, __vfio_pci_set_irqs_bool(v->device, VFIO_IRQ_SET_ACTION_MASK,
					      MSIX, 2, 2, bools));
	siov_edu_doorbell(v->device, 3);
	ASSERT_ONLY(v, 3);
	siov_edu_doorbell(v->device, 2);
	ASSERT_TRUE(siov_edu_wait_pending(v->device, 2, true));
	ASSERT_QUIET(v);
	ASSERT_EQ(0, __vfio_pci_set_irqs_bool(v->device,
					      VFIO_IRQ_SET_ACTION_UNMASK,
					      MSIX, 2, 1, bools));
	ASSERT_ONLY(v, 2);
	ASSERT_FALSE(siov_edu_pending(v->device, 2));

	/* A block: all masked at once, all delivered on unmask */
	ASSERT_EQ(0, mask(v, VFIO_IRQ_SET_ACTION_MASK, 0, NVEC));
	siov_edu_doorbell(v->device, 4);
	siov_edu_doorbell(v->device, 5);
	ASSERT_TRUE(siov_edu_wait_pending(v->device, 4, true));
	ASSERT_TRUE(siov_edu_wait_pending(v->device, 5, true));
	ASSERT_QUIET(v);
	ASSERT_EQ(0, mask(v, VFIO_IRQ_SET_ACTION_UNMASK, 0, NVEC));
	ASSERT_EQ(1, eventfd_wait(v->efd[4], SIOV_EDU_WAIT_MS));
	ASSERT_EQ(1, eventfd_wait(v->efd[5], SIOV_EDU_WAIT_MS));
	ASSERT_QUIET(v);
	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_MSIX_PBA));

	/* A new eventfd resets the vector's mask state */
	ASSERT_EQ(0, mask(v, VFIO_IRQ_SET_ACTION_MASK, 6, 1));
	other = v->efd[6];
	v->efd[6] = eventfd_nonblock();
	ASSERT_EQ(0, msix_set(v, 6, 1));
	siov_edu_doorbell(v->device, 6);
	ASSERT_ONLY(v, 6);
	ASSERT_EQ(0, eventfd_drain(other));
	ASSERT_FALSE(siov_edu_pending(v->device, 6));
	close(other);

	ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_DROPPED));
	vdev_close(v);
}

/* MASK/UNMASK errors change nothing */
TEST_F_TIMEOUT(siov, mask_errno, SIOV_TEST_TIMEOUT)
{
	static const u32 actions[] = {
		VFIO_IRQ_SET_ACTION_MASK, VFIO_IRQ_SET_ACTION_UNMASK,
	};
	struct vdev *v;
	size_t i;
	int fd;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 10, NVEC);

	/* MSI-X not enabled */
	for (i = 0; i < ARRAY_SIZE(actions); i++)
		ASSERT_EQ(-EINVAL, mask(v, actions[i], 0, 1));

	/* Vectors 0..3 have an eventfd, 4..7 not */
	ASSERT_EQ(0, msix_set(v, 0, 4));
	for (i = 0; i < ARRAY_SIZE(actions); i++) {
		ASSERT_EQ(-EINVAL, mask(v, actions[i], 4, 1));
		ASSERT_EQ(-EINVAL, mask(v, actions[i], 2, 3));
		ASSERT_EQ(-EINVAL, mask(v, actions[i], NVEC - 1, 2));
		ASSERT_EQ(-EINVAL, mask(v, actions[i], NVEC, 1));
		ASSERT_EQ(-EINVAL, mask(v, actions[i], ~0u, 2));
		fd = v->efd[1];
		ASSERT_EQ(-ENOTTY,
			  __vfio_pci_set_irqs_eventfd(v->device, actions[i],
						      MSIX, 1, 1, &fd));
	}

	/* The failed MASK of 2..4 left 2 and 3 unmasked */
	siov_edu_doorbell(v->device, 2);
	ASSERT_ONLY(v, 2);
	siov_edu_doorbell(v->device, 3);
	ASSERT_ONLY(v, 3);

	/* A failed UNMASK leaves a masked vector masked */
	ASSERT_EQ(0, mask(v, VFIO_IRQ_SET_ACTION_MASK, 3, 1));
	siov_edu_doorbell(v->device, 3);
	ASSERT_TRUE(siov_edu_wait_pending(v->device, 3, true));
	ASSERT_EQ(-EINVAL, mask(v, VFIO_IRQ_SET_ACTION_UNMASK, 3, 2));
	ASSERT_QUIET(v);
	ASSERT_TRUE(siov_edu_pending(v->device, 3));
	ASSERT_EQ(0, mask(v, VFIO_IRQ_SET_ACTION_UNMASK, 3, 1));
	ASSERT_ONLY(v, 3);

	/* After disable, nothing is maskable */
	ASSERT_EQ(0, msix_disable(v));
	ASSERT_EQ(-EINVAL, mask(v, VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	vdev_close(v);
}

/* Closing with MSI-X enabled and messages in flight releases everything */
TEST_F_TIMEOUT(siov, close_while_firing, SIOV_TEST_TIMEOUT)
{
	struct vdev *v;
	int k, round;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	ASSERT_EQ(0, siov_edu_create(parent_bdf, 11, NVEC));
	for (round = 0; round < 2; round++) {
		v = vdev_open(self->iommu, 11, NVEC);
		/* Reset by open */
		ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_DROPPED));
		ASSERT_EQ(0, vdev_reg(v, SIOV_EDU_ADMIN_DONE));
		ASSERT_EQ(0, msix_set(v, 0, NVEC));
		siov_edu_doorbell(v->device, 1);
		ASSERT_ONLY(v, 1);
		for (k = 0; k < NVEC; k++)
			vdev_fire(v, k);
		/* Up to 100 ms per message: most are still to come */
		vdev_close(v);
		ASSERT_EQ(0, ims_lines(NULL, NULL, -1));
	}
	ASSERT_EQ(0, siov_edu_remove(parent_bdf, 11));
}

/*
 * A child process does the blocking sysfs write @path <- @val; returns its
 * pid.  It must not hold the device: it closes every inherited fd first.
 */
static pid_t blocking_write(const char *path, const char *val)
{
	pid_t pid = fork();

	VFIO_ASSERT_GE(pid, 0);
	if (!pid) {
		int ret;

		close_range(3, ~0u, 0);
		ret = vfio_sysfs_write(path, val);
		_exit(ret ? -ret : 0);
	}
	return pid;
}

/* The child is still blocked: it has not exited */
static bool still_blocked(pid_t pid)
{
	int status;

	return waitpid(pid, &status, WNOHANG) == 0;
}

/* Its exit: the write's errno, 0 if it succeeded, -1 if it died */
static int write_result(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* siov/remove of an open device: REQ, blocks until closed, completes */
TEST_F_TIMEOUT(siov, remove_while_open, SIOV_TEST_TIMEOUT)
{
	char path[PATH_MAX], arg[16];
	struct vdev *v, *w;
	pid_t pid;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 12, NVEC);
	w = vdev_new(self->iommu, 13, NVEC);
	ASSERT_EQ(0, req_set(v));
	ASSERT_EQ(0, req_set(w));
	ASSERT_EQ(0, msix_set(v, 0, NVEC));
	ASSERT_EQ(0, msix_set(w, 0, NVEC));
	siov_edu_doorbell(v->device, 1);
	ASSERT_ONLY(v, 1);

	siov_edu_parent_attr(path, sizeof(path), parent_bdf, "remove");
	snprintf(arg, sizeof(arg), "%d", v->id);
	pid = blocking_write(path, arg);

	ASSERT_LE(1, eventfd_wait(v->req, SIOV_EDU_WAIT_MS));
	ASSERT_TRUE(still_blocked(pid));
	ASSERT_TRUE(vdev_exists(v->id));
	/* The other device is not asked to go, and still works */
	siov_edu_doorbell(w->device, 2);
	ASSERT_ONLY(w, 2);
	ASSERT_EQ(0, eventfd_drain(w->req));

	vdev_close(v);
	ASSERT_EQ(0, write_result(pid));
	ASSERT_FALSE(vdev_exists(v->id));
	ASSERT_EQ(-ENODEV, siov_edu_remove(parent_bdf, 12));
	ASSERT_EQ(NVEC - 1, ims_lines(NULL, NULL, -1));
	ASSERT_EQ(NVEC - 1, ims_lines(w->match, NULL, -1));

	siov_edu_doorbell(w->device, 3);
	ASSERT_ONLY(w, 3);
	vdev_close(w);
	ASSERT_EQ(0, siov_edu_remove(parent_bdf, 13));
	ASSERT_EQ(0, ims_lines(NULL, NULL, -1));
}

/* Unbinding the parent with an open device: the same, for every device */
TEST_F_TIMEOUT(siov, unbind_while_open, SIOV_TEST_TIMEOUT)
{
	char path[PATH_MAX], driver[64];
	struct vdev *v;
	pid_t pid;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	v = vdev_new(self->iommu, 14, NVEC);
	ASSERT_EQ(0, siov_edu_create(parent_bdf, 15, NVEC));
	ASSERT_EQ(0, req_set(v));
	ASSERT_EQ(0, msix_set(v, 0, NVEC));

	siov_edu_pci_attr(path, sizeof(path), parent_bdf, "driver/unbind");
	pid = blocking_write(path, parent_bdf);

	ASSERT_LE(1, eventfd_wait(v->req, SIOV_EDU_WAIT_MS));
	ASSERT_TRUE(still_blocked(pid));
	ASSERT_TRUE(vdev_exists(14));

	vdev_close(v);
	ASSERT_EQ(0, write_result(pid));
	siov_edu_parent_driver(parent_bdf, driver, sizeof(driver));
	ASSERT_STREQ("", driver);
	ASSERT_EQ(0, count_aux_vdevs());
	ASSERT_EQ(0, ims_lines(NULL, NULL, -1));
}

/* One virtual device's doorbells never reach another's vectors */
TEST_F_TIMEOUT(siov, two_isolated, SIOV_TEST_TIMEOUT)
{
	struct vdev *a, *b;
	int k;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	a = vdev_new(self->iommu, 16, NVEC);
	b = vdev_new(self->iommu, 17, NVEC);
	ASSERT_EQ(16, vdev_reg(a, SIOV_EDU_VDEV_ID));
	ASSERT_EQ(17, vdev_reg(b, SIOV_EDU_VDEV_ID));
	ASSERT_EQ(0, msix_set(a, 0, NVEC));
	ASSERT_EQ(0, msix_set(b, 0, NVEC));

	for (k = 0; k < NVEC; k++) {
		vdev_fire(a, k);
		ASSERT_ONLY(a, k);
		ASSERT_QUIET(b);
		vdev_fire(b, k);
		ASSERT_ONLY(b, k);
		ASSERT_QUIET(a);
	}

	/* a's vectors 4.. have no IMS entry any more; b's have */
	ASSERT_EQ(0, msix_disable(a));
	ASSERT_EQ(0, msix_set(a, 0, 4));
	for (k = 4; k < NVEC; k++)
		siov_edu_doorbell(a->device, k);
	ASSERT_QUIET(a);
	ASSERT_QUIET(b);
	ASSERT_EQ(NVEC - 4, vdev_reg(a, SIOV_EDU_DROPPED));
	ASSERT_EQ(0, vdev_reg(b, SIOV_EDU_DROPPED));

	/* a's admin commands complete on a only */
	ASSERT_EQ(1, vdev_reg(a, SIOV_EDU_ADMIN_DONE));
	ASSERT_EQ(1, vdev_reg(b, SIOV_EDU_ADMIN_DONE));
	siov_edu_admin(a->device);
	ASSERT_ONLY(a, 0);
	ASSERT_QUIET(b);
	ASSERT_EQ(2, vdev_reg(a, SIOV_EDU_ADMIN_DONE));
	ASSERT_EQ(1, vdev_reg(b, SIOV_EDU_ADMIN_DONE));

	vdev_close(a);
	/* b keeps working after a is gone */
	siov_edu_doorbell(b->device, NVEC - 1);
	ASSERT_ONLY(b, NVEC - 1);
	vdev_close(b);
}

FIXTURE(siov_scale) {
	char saved_driver[64];
};

FIXTURE_SETUP(siov_scale)
{
	parent_setup(_metadata, self->saved_driver, sizeof(self->saved_driver));
}

FIXTURE_TEARDOWN_PARENT(siov_scale)
{
	parent_teardown(_metadata, self->saved_driver);
}

/*
 * Vectors 1..nvec-1 of @v[first..end) fired once each, and nothing else:
 * each IMS interrupt of the wave counted once in /proc/interrupts.
 */
static void fire_wave(struct __test_metadata *_metadata, struct vdev **v,
		      int first, int end)
{
	int lines = (end - first) * (SCALE_NVEC - 1);
	long events;
	int i, k;

	for (i = first; i < end; i++) {
		for (k = 0; k < SCALE_NVEC; k++)
			vdev_fire(v[i], k);
		/* 63 messages of 100 ms, one after the other at worst */
		for (k = 0; k < SCALE_NVEC; k++) {
			ASSERT_EQ(1, eventfd_wait(v[i]->efd[k], 3 * SIOV_EDU_WAIT_MS))
				TH_LOG("%s vector %d", v[i]->name, k);
		}
		ASSERT_EQ(0, vdev_reg(v[i], SIOV_EDU_DROPPED));
	}
	for (i = first; i < end; i++)
		ASSERT_QUIET(v[i]);
	ASSERT_EQ(lines, ims_lines(NULL, &events, 1));
	ASSERT_EQ(lines, events);
}

/*
 * 64 virtual devices with 64 vectors each, open at once, every vector
 * fired once (4032 IMS interrupts).  Even ids are opened through iommufd,
 * odd ones through their group.
 *
 * The vectors are allocated at once if the CPUs have room for them: each
 * IMS interrupt takes a vector of a CPU and x86 has about 200 per CPU, so
 * 4032 need some 21 CPUs.  With fewer, MSI-X is enabled on as many devices
 * as fit (the next enable fails with -ENOSPC and must leave nothing of its
 * device behind), those are fired and disabled, and the next wave follows:
 * the CPU vectors of a wave must be free again for the next.
 * SIOV_SCALE_AT_ONCE=1 (the 'scale' boot, with enough CPUs) requires a
 * single wave: all 4032 IMS interrupts allocated and requested together.
 */
TEST_F_TIMEOUT(siov_scale, vdevs_64x64, SCALE_TIMEOUT)
{
	struct rlimit nofile = { .rlim_cur = 8192, .rlim_max = 8192 };
	const char *at_once = getenv("SIOV_SCALE_AT_ONCE");
	struct vdev *v[SCALE_VDEVS];
	struct iommu *iommufd, *container;
	int i, first, end, ret, waves = 0, widest = 0;

	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");

	/* An eventfd per vector: 4160 fds and more */
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &nofile));

	iommufd = iommu_init("iommufd");
	container = iommu_init("vfio_type1v2_iommu");
	for (i = 0; i < SCALE_VDEVS; i++)
		v[i] = vdev_new(i % 2 ? container : iommufd, 100 + i, SCALE_NVEC);
	ASSERT_EQ(SCALE_VDEVS, count_aux_vdevs());

	for (first = 0; first < SCALE_VDEVS; first = end) {
		ret = 0;
		for (end = first; end < SCALE_VDEVS; end++) {
			ret = msix_set(v[end], 0, SCALE_NVEC);
			if (ret)
				break;
		}
		ASSERT_TRUE(!ret || ret == -ENOSPC)
			TH_LOG("%s: MSI-X enable: %d", v[end]->name, ret);
		if (at_once && !strcmp(at_once, "1"))
			ASSERT_EQ(0, ret)
				TH_LOG("%s: no room for all at once on %ld CPUs",
				       v[end]->name, sysconf(_SC_NPROCESSORS_ONLN));
		ASSERT_LT(first, end)
			TH_LOG("no room for the vectors of even one device");
		/* All of the wave's vectors are there, none of the failed one's */
		ASSERT_EQ((end - first) * (SCALE_NVEC - 1), ims_lines(NULL, NULL, 0));

		fire_wave(_metadata, v, first, end);

		for (i = first; i < end; i++)
			ASSERT_EQ(0, msix_disable(v[i]));
		ASSERT_EQ(0, ims_lines(NULL, NULL, -1));
		waves++;
		widest = max(widest, end - first);
	}
	printf("%d virtual devices x %d vectors open at once, each vector fired once;\n",
	       SCALE_VDEVS, SCALE_NVEC);
	printf("allocated in %d wave(s) of at most %d devices (%d IMS interrupts) on %ld CPUs\n",
	       waves, widest, widest * (SCALE_NVEC - 1), sysconf(_SC_NPROCESSORS_ONLN));

	for (i = 0; i < SCALE_VDEVS; i++)
		vdev_close(v[i]);
	iommu_cleanup(container);
	iommu_cleanup(iommufd);
	ASSERT_EQ(SCALE_VDEVS, count_aux_vdevs());
}

/*
 * Two edu parents (SIOV_PARENT2): virtual device ids are global, since they
 * name the auxiliary devices; each parent lists and removes only its own
 * devices, which are its children and get its IMS entries, and its unbind
 * removes only them.
 */
FIXTURE(siov_two) {
	char saved_driver[64];
	char saved_driver2[64];
	struct iommu *iommu;
};

FIXTURE_SETUP(siov_two)
{
	int ret;

	if (!parent2_bdf)
		SKIP(return, "no second edu parent (SIOV_PARENT2)");
	if (!siov_expected())
		SKIP(return, "virtual devices are expected to be refused");
	parent_setup(_metadata, self->saved_driver, sizeof(self->saved_driver));
	ret = siov_edu_parent_take(parent2_bdf, self->saved_driver2,
				   sizeof(self->saved_driver2));
	if (ret)
		parent_restore(_metadata, parent_bdf, self->saved_driver);
	ASSERT_EQ(0, ret);
	self->iommu = iommu_init("iommufd");
}

FIXTURE_TEARDOWN_PARENT(siov_two)
{
	parent_restore(_metadata, parent2_bdf, self->saved_driver2);
	parent_teardown(_metadata, self->saved_driver);
}

/* siov/vdevs of @bdf */
static void parent_vdevs(const char *bdf, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	siov_edu_parent_attr(path, sizeof(path), bdf, "vdevs");
	fd = open(path, O_RDONLY);
	VFIO_ASSERT_GE(fd, 0);
	n = read(fd, buf, size - 1);
	VFIO_ASSERT_GE(n, 0);
	buf[n] = '\0';
	VFIO_ASSERT_EQ(close(fd), 0);
}

/* Whether virtual device @id is a child of the PCI device @bdf */
static bool vdev_child_of(int id, const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX], want[64];
	ssize_t n;

	siov_edu_vdev_path(path, sizeof(path), id);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	snprintf_assert(want, sizeof(want), "/%s/", bdf);
	return strstr(link, want);
}

TEST_F_TIMEOUT(siov_two, ids_global, SIOV_TEST_TIMEOUT)
{
	char buf[256];
	struct vdev *v;

	ASSERT_EQ(0, siov_edu_create(parent_bdf, 7, NVEC));
	ASSERT_EQ(-EEXIST, siov_edu_create(parent2_bdf, 7, NVEC));
	ASSERT_EQ(0, siov_edu_create(parent2_bdf, 8, 2));
	ASSERT_EQ(2, count_aux_vdevs());
	ASSERT_TRUE(vdev_child_of(7, parent_bdf));
	ASSERT_TRUE(vdev_child_of(8, parent2_bdf));
	parent_vdevs(parent_bdf, buf, sizeof(buf));
	ASSERT_STREQ("7 8\n", buf);
	parent_vdevs(parent2_bdf, buf, sizeof(buf));
	ASSERT_STREQ("8 2\n", buf);

	/* A parent removes only its own */
	ASSERT_EQ(-ENODEV, siov_edu_remove(parent2_bdf, 7));
	ASSERT_EQ(-ENODEV, siov_edu_remove(parent_bdf, 8));
	ASSERT_TRUE(vdev_exists(7));
	ASSERT_TRUE(vdev_exists(8));

	/* A removed id is free for either parent */
	ASSERT_EQ(0, siov_edu_remove(parent_bdf, 7));
	ASSERT_EQ(0, siov_edu_create(parent2_bdf, 7, NVEC));
	ASSERT_TRUE(vdev_child_of(7, parent2_bdf));
	parent_vdevs(parent_bdf, buf, sizeof(buf));
	ASSERT_STREQ("", buf);

	/* The second parent's IMS entries reach its device */
	v = vdev_open(self->iommu, 7, NVEC);
	ASSERT_EQ(0, msix_set(v, 0, NVEC));
	ASSERT_EQ(NVEC - 1, ims_lines(v->match, NULL, 0));
	vdev_fire(v, 1);
	ASSERT_ONLY(v, 1);
	vdev_fire(v, 0);
	ASSERT_ONLY(v, 0);
	vdev_close(v);

	/* Unbinding the first parent leaves the second one's devices */
	ASSERT_EQ(0, siov_edu_create(parent_bdf, 9, 1));
	ASSERT_EQ(0, siov_edu_parent_unbind(parent_bdf));
	ASSERT_FALSE(vdev_exists(9));
	ASSERT_TRUE(vdev_exists(7));
	ASSERT_TRUE(vdev_exists(8));
	ASSERT_EQ(2, count_aux_vdevs());
}

int main(int argc, char *argv[])
{
	const char *p2 = getenv("SIOV_PARENT2");

	parent2_bdf = p2 && *p2 ? p2 : NULL;
	parent_bdf = vfio_selftests_get_bdf(&argc, argv);
	return test_harness_run(argc, argv);
}
