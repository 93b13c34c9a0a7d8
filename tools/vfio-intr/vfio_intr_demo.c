// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_intr_demo - what 'make demo' shows: every device given on the command
 * line is opened through VFIO (iommufd, cdev), its interrupt indexes are
 * listed from VFIO_DEVICE_GET_IRQ_INFO, and one real interrupt is raised by
 * the device itself and counted on its eventfd.
 *
 *   edu (1234:11e8): MSI vector 0, raised through the 0x60 "raise" register
 *   igb (8086:10c9): MSI-X vector of the libvfio igb driver, raised with EICS
 */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/io.h>
#include <linux/sizes.h>

#include <libvfio.h>

#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64

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

static void list_irqs(struct vfio_pci_device *device, u16 vendor, u16 devid)
{
	u32 i;

	for (i = 0; i < device->info.num_irqs && i < ARRAY_SIZE(index_names); i++) {
		struct vfio_irq_info info = { .argsz = sizeof(info), .index = i };
		char flags[64];

		ioctl_assert(device->fd, VFIO_DEVICE_GET_IRQ_INFO, &info);
		flags_str(info.flags, flags, sizeof(flags));
		printf("  %-12s  %04x:%04x  %-5u  %-5s  %5u  %s\n", device->bdf, vendor, devid,
		       i, index_names[i], info.count, flags);
	}
}

/* Returns the number of interrupts counted on the eventfd (1 expected). */
static u64 fire_edu(struct vfio_pci_device *device, const char **how)
{
	void *bar0 = device->bars[0].vaddr;
	u64 got;

	*how = "MSI  vector 0 (edu 0x60 raise)";
	vfio_pci_cmd_set(device, PCI_COMMAND_MASTER);	/* MSI is a DMA write */
	vfio_pci_msi_enable(device, 0, 1);
	writel(0x1, bar0 + EDU_REG_IRQ_RAISE);
	got = wait_eventfd(device->msi_eventfds[0], 10000);
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
	got = wait_eventfd(device->msi_eventfds[driver->msi], 10000);
	vfio_pci_driver_remove(device);
	iommu_unmap(iommu, &driver->region);
	iova_allocator_cleanup(iovas);
	return got;
}

int main(int argc, char *argv[])
{
	struct vfio_pci_device *devices[8];
	struct iommu *iommus[8];
	int i, n = 0, bad = 0;

	for (i = 1; i < argc && n < 8; i++) {
		iommus[n] = iommu_init("iommufd");
		devices[n] = vfio_pci_device_init(argv[i], iommus[n]);
		n++;
	}

	printf("vfio-intr demo: %d device(s) bound to vfio-pci\n\n", n);
	printf("  %-12s  %-9s  %-5s  %-5s  %5s  %s\n", "device", "id", "index", "name", "count", "flags");
	for (i = 0; i < n; i++) {
		u16 vendor = vfio_pci_config_readw(devices[i], PCI_VENDOR_ID);
		u16 devid = vfio_pci_config_readw(devices[i], PCI_DEVICE_ID);

		list_irqs(devices[i], vendor, devid);
	}

	printf("\n  %-12s  %-36s  %5s  %8s\n", "device", "interrupt", "fired", "received");
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
		printf("  %-12s  %-36s  %5d  %8" PRIu64 "%s\n", device->bdf, how, 1, got,
		       got == 1 ? "" : "   <-- MISSING");
		bad += got != 1;
	}

	for (i = 0; i < n; i++) {
		vfio_pci_device_cleanup(devices[i]);
		iommu_cleanup(iommus[i]);
	}
	printf("\n%s\n", bad ? "some interrupts were not delivered" : "every interrupt was delivered");
	return bad ? 1 : 0;
}
