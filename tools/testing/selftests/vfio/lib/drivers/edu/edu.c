// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvfio driver for QEMU's edu device.
 *
 * The edu DMA engine only moves data between RAM and its own 4 KiB buffer, so
 * one memcpy is two transfers: source -> buffer, then buffer -> destination.
 * The engine runs one transfer at a time and each completes on a device timer,
 * hence memcpy_start() performs all but the last transfer synchronously and
 * memcpy_wait() waits for the last one.
 *
 * send_msi() uses the "raise interrupt" register, which sends one MSI per
 * write while MSI is enabled.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include <linux/io.h>
#include <linux/pci_regs.h>

#include <libvfio.h>

#include "registers.h"

/* A few transfers: each one takes ~100 ms of device time. */
#define EDU_MAX_MEMCPY_COUNT	4
/* Poll the DMA engine every millisecond for at most this long. */
#define EDU_DMA_TIMEOUT_MS	5000
/* Interrupt status bit used by send_msi(). */
#define EDU_IRQ_SEND_MSI	0x1

/* Driver state, kept in device->driver.region. */
struct edu {
	void *bar0;
};

static struct edu *to_edu(struct vfio_pci_device *device)
{
	return device->driver.region.vaddr;
}

static int edu_probe(struct vfio_pci_device *device)
{
	void *bar0 = device->bars[0].vaddr;

	if (!vfio_pci_device_match(device, PCI_VENDOR_ID_QEMU,
				   PCI_DEVICE_ID_QEMU_EDU))
		return -EINVAL;

	if (!bar0)
		return -EINVAL;

	if ((readl(bar0 + EDU_REG_ID) & EDU_ID_MAGIC_MASK) != EDU_ID_MAGIC) {
		dev_err(device, "edu: unexpected ID register 0x%x\n",
			readl(bar0 + EDU_REG_ID));
		return -EINVAL;
	}

	return 0;
}

static int edu_dma_wait(struct edu *edu)
{
	int ms;

	for (ms = 0; ms < EDU_DMA_TIMEOUT_MS; ms++) {
		if (!(readq(edu->bar0 + EDU_REG_DMA_CMD) & EDU_DMA_CMD_RUN))
			return 0;
		usleep(1000);
	}

	return -ETIMEDOUT;
}

static void edu_dma_start(struct edu *edu, u64 src, u64 dst, u64 size,
			  u64 cmd)
{
	writeq(src, edu->bar0 + EDU_REG_DMA_SRC);
	writeq(dst, edu->bar0 + EDU_REG_DMA_DST);
	writeq(size, edu->bar0 + EDU_REG_DMA_COUNT);
	writeq(cmd | EDU_DMA_CMD_RUN, edu->bar0 + EDU_REG_DMA_CMD);
}

static int edu_dma(struct edu *edu, u64 src, u64 dst, u64 size, u64 cmd)
{
	edu_dma_start(edu, src, dst, size, cmd);
	return edu_dma_wait(edu);
}

static void edu_init(struct vfio_pci_device *device)
{
	struct edu *edu = to_edu(device);

	VFIO_ASSERT_GE(device->driver.region.size, sizeof(*edu));
	VFIO_ASSERT_NOT_NULL(device->bars[0].vaddr);
	edu->bar0 = device->bars[0].vaddr;

	vfio_pci_cmd_set(device, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

	/* A previous user may have left a transfer or interrupt behind. */
	VFIO_ASSERT_EQ(edu_dma_wait(edu), 0);
	writel(~0u, edu->bar0 + EDU_REG_IRQ_ACK);

	VFIO_ASSERT_GT(device->msi_info.count, 0, "edu: no MSI\n");
	vfio_pci_msi_enable(device, 0, 1);

	device->driver.msi = 0;
	device->driver.max_memcpy_size = EDU_DMA_BUF_SIZE;
	device->driver.max_memcpy_count = EDU_MAX_MEMCPY_COUNT;
}

static void edu_remove(struct vfio_pci_device *device)
{
	struct edu *edu = to_edu(device);

	VFIO_ASSERT_EQ(edu_dma_wait(edu), 0);
	writel(~0u, edu->bar0 + EDU_REG_IRQ_ACK);
	vfio_pci_msi_disable(device);
}

static void edu_memcpy_start(struct vfio_pci_device *device, iova_t src,
			     iova_t dst, u64 size, u64 count)
{
	struct edu *edu = to_edu(device);
	u64 i;

	VFIO_ASSERT_LE(size, EDU_DMA_BUF_SIZE);

	for (i = 0; i < count; i++) {
		VFIO_ASSERT_EQ(edu_dma(edu, src, EDU_DMA_BUF_ADDR, size, 0), 0);
		if (i + 1 == count)
			break;
		VFIO_ASSERT_EQ(edu_dma(edu, EDU_DMA_BUF_ADDR, dst, size,
				       EDU_DMA_CMD_TO_RAM), 0);
	}

	edu_dma_start(edu, EDU_DMA_BUF_ADDR, dst, size, EDU_DMA_CMD_TO_RAM);
}

static int edu_memcpy_wait(struct vfio_pci_device *device)
{
	/*
	 * The engine reports no errors: a transfer to or from an unmapped
	 * IOVA faults in the IOMMU and still "completes".
	 */
	return edu_dma_wait(to_edu(device));
}

static void edu_send_msi(struct vfio_pci_device *device)
{
	struct edu *edu = to_edu(device);

	writel(EDU_IRQ_SEND_MSI, edu->bar0 + EDU_REG_IRQ_RAISE);
	writel(EDU_IRQ_SEND_MSI, edu->bar0 + EDU_REG_IRQ_ACK);
}

const struct vfio_pci_driver_ops edu_ops = {
	.name = "edu",
	.probe = edu_probe,
	.init = edu_init,
	.remove = edu_remove,
	.memcpy_start = edu_memcpy_start,
	.memcpy_wait = edu_memcpy_wait,
	.send_msi = edu_send_msi,
};
