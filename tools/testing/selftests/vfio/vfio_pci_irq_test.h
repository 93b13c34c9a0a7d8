/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared helpers of the VFIO interrupt selftests: how to make QEMU's edu and
 * igb devices raise an interrupt, and small eventfd assertions.
 */
#ifndef SELFTESTS_VFIO_VFIO_PCI_IRQ_TEST_H
#define SELFTESTS_VFIO_VFIO_PCI_IRQ_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/io.h>
#include <linux/pci_regs.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>
#include <libvfio/igb.h>

#include "lib/drivers/edu/registers.h"

/* edu: interrupt status bit the tests raise (not one the device uses). */
#define EDU_IRQ_TEST		0x10000

static inline void edu_irq_raise(struct vfio_pci_device *device)
{
	writel(EDU_IRQ_TEST, device->bars[0].vaddr + EDU_REG_IRQ_RAISE);
}

static inline void edu_irq_ack(struct vfio_pci_device *device)
{
	writel(~0u, device->bars[0].vaddr + EDU_REG_IRQ_ACK);
}

static inline u32 edu_irq_status(struct vfio_pci_device *device)
{
	return readl(device->bars[0].vaddr + EDU_REG_IRQ_STATUS);
}

static inline bool is_edu(struct vfio_pci_device *device)
{
	return vfio_pci_device_match(device, PCI_VENDOR_ID_QEMU,
				     PCI_DEVICE_ID_QEMU_EDU);
}

/* igb (82576): registers in libvfio/igb.h. */

static inline bool is_igb(struct vfio_pci_device *device)
{
	return vfio_pci_device_match(device, 0x8086, IGB_DEVICE_ID_82576);
}

/*
 * Route each extended cause v to MSI-X vector v: MSI-X mode, no throttling,
 * auto-clear of the cause after the message (so every EICS write is a new
 * edge), no auto-mask, all vectors enabled.
 */
static inline void igb_msix_setup(struct vfio_pci_device *device)
{
	void *bar0 = device->bars[0].vaddr;
	u32 all = (1u << IGB_MSIX_VECTORS) - 1;
	int v;

	vfio_pci_cmd_set(device, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	writel(~0u, bar0 + IGB_REG_EIMC);
	writel(IGB_GPIE_MSIX_MODE, bar0 + IGB_REG_GPIE);
	for (v = 0; v < IGB_MSIX_VECTORS; v++)
		writel(0, bar0 + IGB_REG_EITR(v));
	writel(all, bar0 + IGB_REG_EIAC);
	writel(0, bar0 + IGB_REG_EIAM);
	writel(~0u, bar0 + IGB_REG_EICR);
	writel(all, bar0 + IGB_REG_EIMS);
}

static inline void igb_msix_fire(struct vfio_pci_device *device, int vector)
{
	writel(1u << vector, device->bars[0].vaddr + IGB_REG_EICS);
}

/* INTx is asserted at the device (PCI_STATUS_INTERRUPT, not virtualised). */
static inline bool intx_asserted(struct vfio_pci_device *device)
{
	return vfio_pci_config_readw(device, PCI_STATUS) & PCI_STATUS_INTERRUPT;
}

/*
 * Signals on @fd since it was last drained: waits for the first one if @n
 * are expected, does not wait if none are.
 */
static inline u64 eventfd_expect(int fd, u64 n)
{
	return n ? eventfd_wait(fd, VFIO_IRQ_WAIT_MS) : eventfd_drain(fd);
}

/* The eventfd must have been signalled exactly @n times. */
#define ASSERT_SIGNALLED(_fd, _n) do {				\
	u64 __n = (_n);							\
									\
	ASSERT_EQ(__n, eventfd_expect((_fd), __n));			\
} while (0)

/* The eventfd must not have been signalled since it was last drained. */
#define ASSERT_NOT_SIGNALLED(_fd) ASSERT_SIGNALLED(_fd, 0)

/*
 * The interrupt named @name in /proc/interrupts: returns the number of times
 * it fired (summed over CPUs), or -1 if no such interrupt is requested.
 */
static inline long proc_interrupts_count(const char *name)
{
	char line[4096];
	long total = -1;
	char *p, *end;
	size_t len = strlen(name);
	FILE *f;

	f = fopen("/proc/interrupts", "r");
	VFIO_ASSERT_NOT_NULL(f, "no /proc/interrupts\n");

	while (fgets(line, sizeof(line), f)) {
		/* Match the name as a whole word at a word boundary. */
		p = strstr(line, name);
		if (!p || (p[len] && p[len] != '\n' && p[len] != ','))
			continue;

		p = strchr(line, ':');
		if (!p)
			continue;
		total = 0;
		for (p++; ; p = end) {
			long n = strtol(p, &end, 10);

			if (end == p)
				break;
			total += n;
		}
		break;
	}
	fclose(f);

	return total;
}

/* Name vfio-pci gives vector @v of @index on @bdf ("" for INTx). */
static inline const char *vfio_irq_name(char *buf, size_t size, u32 index,
					int v, const char *bdf)
{
	if (index == VFIO_PCI_INTX_IRQ_INDEX)
		snprintf(buf, size, "vfio-intx(%s)", bdf);
	else
		snprintf(buf, size, "vfio-msi%s[%d](%s)",
			 index == VFIO_PCI_MSIX_IRQ_INDEX ? "x" : "", v, bdf);
	return buf;
}

/*
 * The main() of a test binary that needs one kind of device: open the device
 * under test once to check it with @suitable, then run the harness, or skip
 * the whole binary saying the device is not @what.
 */
static inline int irq_test_main(int argc, char *argv[], const char **bdf,
				bool (*suitable)(struct vfio_pci_device *device),
				const char *what)
{
	struct vfio_pci_device *device;
	struct iommu *iommu;
	bool ok;

	*bdf = vfio_selftests_get_bdf(&argc, argv);

	iommu = iommu_init(default_iommu_mode);
	device = vfio_pci_device_init(*bdf, iommu);
	ok = suitable(device);
	vfio_pci_device_cleanup(device);
	iommu_cleanup(iommu);

	if (!ok) {
		fprintf(stderr, "%s is not %s, skipping\n", *bdf, what);
		return KSFT_SKIP;
	}

	return test_harness_run(argc, argv);
}

#endif /* SELFTESTS_VFIO_VFIO_PCI_IRQ_TEST_H */
