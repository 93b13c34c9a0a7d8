// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_intr_demo - what 'make demo' shows: one interrupt path for physical
 * and virtual devices.
 *
 * 1. Physical devices: every PCI device given on the command line (bound to
 *    vfio-pci) is opened through VFIO (iommufd, cdev), its interrupt indexes
 *    are listed and one real interrupt is raised by the device itself:
 *      edu (1234:11e8): MSI vector 0, raised through the 0x60 "raise" register
 *      igb (8086:10c9): MSI-X vector of the libvfio igb driver, raised with EICS
 *
 * 2. Virtual devices: the edu is rebound to vfio-siov-edu (the SIOV reference
 *    driver, docs/siov-edu.rst), a few virtual devices are created, and the
 *    program acts as a small VMM: it enables MSI-X on each through VFIO, rings
 *    doorbells (IMS vectors) and sends admin commands (vector 0, emulated),
 *    then prints, per vector, what was sent and received and which backend
 *    delivered it, and the EDU-IMS lines of /proc/interrupts.
 */
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/io.h>
#include <linux/sizes.h>

#include <libvfio.h>
#include <libvfio/siov_edu.h>
#include <libvfio/vfio_pci_irq.h>

#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64

#define WAIT_MS			10000

static const char * const index_names[] = {
	[VFIO_PCI_INTX_IRQ_INDEX] = "INTx",
	[VFIO_PCI_MSI_IRQ_INDEX] = "MSI",
	[VFIO_PCI_MSIX_IRQ_INDEX] = "MSI-X",
	[VFIO_PCI_ERR_IRQ_INDEX] = "ERR",
	[VFIO_PCI_REQ_IRQ_INDEX] = "REQ",
};

static void flags_str(u32 flags, char *buf, size_t len)
{
	static const struct { u32 bit; const char *name; } names[] = {
		{ VFIO_IRQ_INFO_EVENTFD, "EVENTFD" },
		{ VFIO_IRQ_INFO_MASKABLE, "MASKABLE" },
		{ VFIO_IRQ_INFO_AUTOMASKED, "AUTOMASKED" },
		{ VFIO_IRQ_INFO_NORESIZE, "NORESIZE" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & names[i].bit)
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "", names[i].name);
	if (!n)
		snprintf(buf, len, "-");
}

static u64 wait_eventfd(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	u64 count = 0;

	if (poll(&pfd, 1, timeout_ms) == 1)
		VFIO_ASSERT_EQ(read(fd, &count, sizeof(count)), (ssize_t)sizeof(count));
	return count;
}

static void heading(const char *title)
{
	size_t i;

	printf("\n%s\n", title);
	for (i = 0; i < strlen(title); i++)
		putchar('-');
	printf("\n\n");
}

/* The interrupt indexes of @device; with @nonzero, only those with vectors */
static void list_irqs(struct vfio_pci_device *device, const char *name,
		      bool nonzero)
{
	u16 vendor = vfio_pci_config_readw(device, PCI_VENDOR_ID);
	u16 devid = vfio_pci_config_readw(device, PCI_DEVICE_ID);
	u32 i;

	for (i = 0; i < device->info.num_irqs && i < ARRAY_SIZE(index_names); i++) {
		struct vfio_irq_info info = { .argsz = sizeof(info), .index = i };
		char flags[64];

		ioctl_assert(device->fd, VFIO_DEVICE_GET_IRQ_INFO, &info);
		if (nonzero && !info.count)
			continue;
		flags_str(info.flags, flags, sizeof(flags));
		printf("  %-20s  %04x:%04x  %-5u  %-5s  %5u  %s\n", name, vendor,
		       devid, i, index_names[i], info.count, flags);
	}
}

static void irq_table_header(void)
{
	printf("  %-20s  %-9s  %-5s  %-5s  %5s  %s\n", "device", "id", "index",
	       "name", "count", "flags");
}

/* Returns the number of interrupts counted on the eventfd (1 expected). */
static u64 fire_edu(struct vfio_pci_device *device, const char **how)
{
	void *bar0 = device->bars[0].vaddr;
	u64 got;

	*how = "MSI   vector 0 (edu 0x60 raise)";
	vfio_pci_cmd_set(device, PCI_COMMAND_MASTER);	/* MSI is a DMA write */
	vfio_pci_msi_enable(device, 0, 1);
	writel(0x1, bar0 + EDU_REG_IRQ_RAISE);
	got = wait_eventfd(device->msi_eventfds[0], WAIT_MS);
	writel(readl(bar0 + EDU_REG_IRQ_STATUS), bar0 + EDU_REG_IRQ_ACK);
	vfio_pci_msi_disable(device);
	return got;
}

static u64 fire_driver(struct vfio_pci_device *device, struct iommu *iommu, const char **how)
{
	struct vfio_pci_driver *driver = &device->driver;
	static char buf[64];
	struct iova_allocator *iovas;
	u64 got;

	iovas = iova_allocator_init(iommu);
	driver->region.size = SZ_2M;
	driver->region.vaddr = mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	VFIO_ASSERT_NE(driver->region.vaddr, MAP_FAILED);
	driver->region.iova = iova_allocator_alloc(iovas, SZ_2M);
	iommu_map(iommu, &driver->region);

	vfio_pci_driver_init(device);
	snprintf(buf, sizeof(buf), "MSI-X vector %d (%s driver)", driver->msi,
		 device->driver.ops->name);
	*how = buf;
	vfio_pci_driver_send_msi(device);
	got = wait_eventfd(device->msi_eventfds[driver->msi], WAIT_MS);
	vfio_pci_driver_remove(device);
	iommu_unmap(iommu, &driver->region);
	iova_allocator_cleanup(iovas);
	return got;
}

/* Part 1: returns the number of interrupts not delivered */
static int physical_devices(int n, char *bdfs[])
{
	struct vfio_pci_device *devices[8];
	struct iommu *iommus[8];
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		iommus[i] = iommu_init("iommufd");
		devices[i] = vfio_pci_device_init(bdfs[i], iommus[i]);
	}

	heading("1. Physical devices on vfio-pci (PCI INTx/MSI/MSI-X backends)");
	irq_table_header();
	for (i = 0; i < n; i++)
		list_irqs(devices[i], devices[i]->bdf, false);

	printf("\n  %-20s  %-36s  %5s  %8s\n", "device", "interrupt raised by the device",
	       "fired", "received");
	for (i = 0; i < n; i++) {
		struct vfio_pci_device *device = devices[i];
		u16 vendor = vfio_pci_config_readw(device, PCI_VENDOR_ID);
		const char *how = "-";
		u64 got;

		if (vendor == 0x1234) {
			got = fire_edu(device, &how);
		} else if (device->driver.ops) {
			got = fire_driver(device, iommus[i], &how);
		} else {
			how = "no libvfio driver for this device";
			got = 0;
		}
		printf("  %-20s  %-36s  %5d  %8" PRIu64 "%s\n", device->bdf, how, 1, got,
		       got == 1 ? "" : "   <-- MISSING");
		bad += got != 1;
	}

	for (i = 0; i < n; i++) {
		vfio_pci_device_cleanup(devices[i]);
		iommu_cleanup(iommus[i]);
	}
	return bad;
}

/* Part 2 */

struct vdev {
	int id;
	int nvec;
	char path[PATH_MAX];
	const char *name;
	struct vfio_pci_device *device;
	int efd[16];
	u64 sent[16];
	u64 received[16];
	long irq[16];		/* host interrupt of the vector, -1 if none */
	long host_before[16];	/* its /proc/interrupts count before */
};

/* The virtual devices the VMM client drives: id and MSI-X vectors */
static const struct { int id; int nvec; } vdev_specs[] = {
	{ 1, 4 }, { 2, 6 }, { 3, 8 },
};

#define NR_VDEVS	ARRAY_SIZE(vdev_specs)

/*
 * Interrupts sent to vector @k: admin commands for 0, doorbells for the
 * others, 1 to 3 of each so that the counts say something.
 */
static int to_send(int k)
{
	return k ? 1 + k % 3 : 2;
}

static void driver_of(const char *bdf, char *buf, size_t size)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	buf[0] = '\0';
	if (n > 0) {
		link[n] = '\0';
		snprintf(buf, size, "%s", strrchr(link, '/') + 1);
	}
}

static int rebind(const char *bdf, const char *driver)
{
	char path[PATH_MAX], now[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	if (!access(path, F_OK) && vfio_sysfs_write(path, bdf))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", bdf);
	if (vfio_sysfs_write(path, driver) ||
	    vfio_sysfs_write("/sys/bus/pci/drivers_probe", bdf))
		return -1;
	driver_of(bdf, now, sizeof(now));
	return strcmp(now, driver) ? -1 : 0;
}

/*
 * The host interrupt behind vector @k of @v from /proc/interrupts: its
 * number, and its count summed over CPUs in @count; -1 if there is none.
 */
static long host_irq(struct vdev *v, int k, long *count)
{
	char line[1024], name[96];
	long irq = -1;
	char *p, *end;
	FILE *f;

	snprintf(name, sizeof(name), " vfio-ims-msix[%d](%s)", k, v->name);
	*count = 0;
	f = fopen("/proc/interrupts", "r");
	VFIO_ASSERT_NOT_NULL(f);
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, name);
		if (!p || (p[strlen(name)] != '\n' && p[strlen(name)]))
			continue;
		irq = strtol(line, &p, 10);
		for (p++; ; p = end) {
			long c = strtol(p, &end, 10);

			if (end == p)
				break;
			*count += c;
		}
		break;
	}
	fclose(f);
	return irq;
}

/* The EDU-IMS lines of /proc/interrupts, printed with the CPU header if @print */
static int print_ims_lines(bool print)
{
	char line[1024];
	int n = 0;
	FILE *f;

	f = fopen("/proc/interrupts", "r");
	VFIO_ASSERT_NOT_NULL(f);
	if (fgets(line, sizeof(line), f) && print)
		printf("  %s", line);
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "EDU-IMS"))
			continue;
		if (print)
			printf("  %s", line);
		n++;
	}
	fclose(f);
	return n;
}

static void vdev_fire(struct vdev *v, int k)
{
	if (k)
		siov_edu_doorbell(v->device, k);
	else
		siov_edu_admin(v->device);
	v->sent[k]++;
}

/*
 * Every vector's interrupts, one round at a time: a vector is fired again
 * only once its previous interrupt has arrived (two messages to one host
 * vector may merge into one, as on any APIC).
 */
static void vmm_run(struct vdev *vdevs, int n)
{
	int round, i, k;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < n; i++)
			for (k = 0; k < vdevs[i].nvec; k++)
				if (to_send(k) > round)
					vdev_fire(&vdevs[i], k);
		for (i = 0; i < n; i++)
			for (k = 0; k < vdevs[i].nvec; k++)
				if (to_send(k) > round)
					vdevs[i].received[k] +=
						wait_eventfd(vdevs[i].efd[k], WAIT_MS);
	}
	/* Anything late or extra has arrived once FLUSH reads 0 */
	for (i = 0; i < n; i++) {
		siov_edu_sync(vdevs[i].device);
		for (k = 0; k < vdevs[i].nvec; k++)
			vdevs[i].received[k] += wait_eventfd(vdevs[i].efd[k], 0);
	}
}

/*
 * Per-vector mask, shown on one IMS vector: masked, its interrupt waits in
 * the PBA; unmasked, it is delivered once.
 */
static int mask_demo(struct vdev *v, int k)
{
	bool pending, cleared;
	u64 while_masked, on_unmask;

	VFIO_ASSERT_EQ(__vfio_pci_set_irqs_none(v->device, VFIO_IRQ_SET_ACTION_MASK,
						VFIO_PCI_MSIX_IRQ_INDEX, k, 1), 0);
	siov_edu_doorbell(v->device, k);
	pending = siov_edu_wait_pending(v->device, k, true);
	siov_edu_sync(v->device);
	while_masked = wait_eventfd(v->efd[k], 0);
	VFIO_ASSERT_EQ(__vfio_pci_set_irqs_none(v->device, VFIO_IRQ_SET_ACTION_UNMASK,
						VFIO_PCI_MSIX_IRQ_INDEX, k, 1), 0);
	on_unmask = wait_eventfd(v->efd[k], WAIT_MS);
	cleared = !siov_edu_pending(v->device, k);

	printf("\n  per-vector mask, %s vector %d: doorbell while masked -> %s, %" PRIu64
	       " received;\n  unmask -> %" PRIu64 " received, PBA bit %s\n",
	       v->name, k, pending ? "PBA bit set" : "PBA bit NOT set", while_masked,
	       on_unmask, cleared ? "clear" : "STILL SET");
	return !pending || while_masked || on_unmask != 1 || !cleared;
}

/* Part 2: returns the number of problems */
static int virtual_devices(const char *edu)
{
	struct vdev vdevs[NR_VDEVS] = {};
	char saved[64];
	struct iommu *iommu;
	int i, k, bad = 0, lines, ims = 0;
	u64 sent = 0, received = 0;

	heading("2. SIOV virtual devices (IMS and emulated backends)");
	driver_of(edu, saved, sizeof(saved));
	if (rebind(edu, SIOV_EDU_DRIVER)) {
		printf("  could not bind %s to %s\n", edu, SIOV_EDU_DRIVER);
		return 1;
	}
	printf("  edu %s rebound from %s to %s; virtual devices created through\n",
	       edu, saved[0] ? saved : "(none)", SIOV_EDU_DRIVER);
	printf("  /sys/bus/pci/devices/%s/siov/create and opened through VFIO (iommufd):\n\n",
	       edu);

	iommu = iommu_init("iommufd");
	irq_table_header();
	for (i = 0; i < (int)NR_VDEVS; i++) {
		struct vdev *v = &vdevs[i];
		int ret;

		v->id = vdev_specs[i].id;
		v->nvec = vdev_specs[i].nvec;
		ret = siov_edu_create(edu, v->id, v->nvec);
		if (ret) {
			printf("  siov/create \"%d %d\": %s\n", v->id, v->nvec, strerror(-ret));
			bad++;
			break;
		}
		siov_edu_vdev_path(v->path, sizeof(v->path), v->id);
		v->name = sysfs_device_name(v->path);
		v->device = vfio_pci_device_init(v->path, iommu);
		vfio_pci_cmd_set(v->device, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
		list_irqs(v->device, v->name, true);

		/* The VMM: an eventfd per vector, MSI-X enabled on all of them */
		for (k = 0; k < v->nvec; k++)
			v->efd[k] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		VFIO_ASSERT_EQ(__vfio_pci_set_irqs_eventfd(v->device,
							   VFIO_IRQ_SET_ACTION_TRIGGER,
							   VFIO_PCI_MSIX_IRQ_INDEX, 0,
							   v->nvec, v->efd), 0);
		for (k = 0; k < v->nvec; k++)
			v->irq[k] = host_irq(v, k, &v->host_before[k]);
	}
	if (bad)
		goto out;

	vmm_run(vdevs, NR_VDEVS);

	printf("\n  The client rang doorbells (vectors 1..) and sent admin commands");
	printf(" (vector 0):\n\n");
	printf("  %-20s  %6s  %-18s  %4s  %8s\n", "device", "vector", "delivered by",
	       "sent", "received");
	for (i = 0; i < (int)NR_VDEVS; i++) {
		struct vdev *v = &vdevs[i];

		for (k = 0; k < v->nvec; k++) {
			long after = 0, irq = host_irq(v, k, &after);
			char backend[64];

			if (irq < 0)
				snprintf(backend, sizeof(backend), "emulated");
			else
				snprintf(backend, sizeof(backend), "IMS, irq %ld (+%ld)",
					 irq, after - v->host_before[k]);
			ims += irq >= 0;
			printf("  %-20s  %6d  %-18s  %4" PRIu64 "  %8" PRIu64 "%s\n",
			       k ? "" : v->name, k, backend, v->sent[k], v->received[k],
			       v->sent[k] == v->received[k] ? "" : "   <-- MISMATCH");
			bad += v->sent[k] != v->received[k];
			/* The host interrupt of an IMS vector counted each one */
			bad += irq >= 0 && after - v->host_before[k] != (long)v->sent[k];
			/* Vector 0 is the emulated one, every other one IMS */
			bad += (irq < 0) != (k == 0);
			sent += v->sent[k];
			received += v->received[k];
		}
	}
	printf("\n  %" PRIu64 " interrupts sent, %" PRIu64 " received; ", sent, received);
	printf("%d vectors on IMS, %d emulated\n", ims, (int)NR_VDEVS);

	bad += mask_demo(&vdevs[0], 1);

	printf("\n  /proc/interrupts, the EDU-IMS chip (the IMS entries of %s):\n\n", edu);
	lines = print_ims_lines(true);
	if (lines != ims) {
		printf("  %d EDU-IMS lines, expected %d\n", lines, ims);
		bad++;
	}

out:
	for (i = 0; i < (int)NR_VDEVS; i++) {
		struct vdev *v = &vdevs[i];

		if (!v->device)
			continue;
		__vfio_pci_set_irqs_none(v->device, VFIO_IRQ_SET_ACTION_TRIGGER,
					 VFIO_PCI_MSIX_IRQ_INDEX, 0, 0);
		vfio_pci_device_cleanup(v->device);
		for (k = 0; k < v->nvec; k++)
			close(v->efd[k]);
		bad += siov_edu_remove(edu, v->id) != 0;
	}
	iommu_cleanup(iommu);

	lines = print_ims_lines(false);
	printf("\n  EDU-IMS lines after MSI-X disable and removal: %d\n", lines);
	bad += lines != 0;

	if (saved[0] && rebind(edu, saved))
		printf("  could not give %s back to %s\n", edu, saved);
	return bad;
}

int main(int argc, char *argv[])
{
	const char *edu = NULL;
	char *bdfs[8];
	int i, n = 0, bad;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc && n < 8; i++)
		bdfs[n++] = argv[i];

	printf("vfio-intr demo: one VFIO interrupt frontend for physical and virtual devices\n");
	bad = physical_devices(n, bdfs);

	/* The edu found among the devices becomes the SIOV parent */
	for (i = 0; i < n && !edu; i++) {
		char path[PATH_MAX], id[16] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", bdfs[i]);
		f = fopen(path, "r");
		if (f && fgets(id, sizeof(id), f) && !strncmp(id, "0x11e8", 6))
			edu = bdfs[i];
		if (f)
			fclose(f);
	}
	if (edu)
		bad += virtual_devices(edu);
	else
		printf("\nno edu device: no SIOV virtual devices\n");

	printf("\n%s\n", bad ? "SOME INTERRUPTS WENT WRONG (see above)" :
	       "every interrupt was delivered, by the backend it belongs to");
	return bad ? 1 : 0;
}
