// SPDX-License-Identifier: GPL-2.0-only
/*
 * The libvfio edu driver on small buffers: memcpy through the edu DMA engine,
 * send_msi(), init/remove cycles, and the DMA-completion interrupt.
 *
 * vfio_pci_driver_test covers the same ops generically, but maps 1 GiB per
 * fixture, which is too slow under TCG; this test keeps the mappings small.
 */
#include <string.h>
#include <unistd.h>

#include <sys/mman.h>

#include <linux/sizes.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest_harness.h"
#include "vfio_pci_irq_test.h"

static const char *device_bdf;

FIXTURE(vfio_pci_edu_test) {
	struct iommu *iommu;
	struct vfio_pci_device *device;
	struct iova_allocator *iova_allocator;
	struct dma_region buf;
	void *src;
	void *dst;
	int msi_fd;
};

static void region_setup(struct iommu *iommu, struct iova_allocator *allocator,
			 struct dma_region *region, u64 size)
{
	region->vaddr = mmap(NULL, size, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	VFIO_ASSERT_NE(region->vaddr, MAP_FAILED);
	region->iova = iova_allocator_alloc(allocator, size);
	region->size = size;
	iommu_map(iommu, region);
}

static void region_teardown(struct iommu *iommu, struct dma_region *region)
{
	iommu_unmap(iommu, region);
	VFIO_ASSERT_EQ(munmap(region->vaddr, region->size), 0);
}

FIXTURE_SETUP(vfio_pci_edu_test)
{
	struct vfio_pci_driver *driver;

	self->iommu = iommu_init(default_iommu_mode);
	self->device = vfio_pci_device_init(device_bdf, self->iommu);
	self->iova_allocator = iova_allocator_init(self->iommu);
	driver = &self->device->driver;

	region_setup(self->iommu, self->iova_allocator, &driver->region, SZ_2M);
	region_setup(self->iommu, self->iova_allocator, &self->buf, SZ_64K);
	self->src = self->buf.vaddr;
	self->dst = self->buf.vaddr + SZ_32K;

	vfio_pci_driver_init(self->device);
	self->msi_fd = self->device->msi_eventfds[driver->msi];
	fcntl_set_nonblock(self->msi_fd);
}

FIXTURE_TEARDOWN(vfio_pci_edu_test)
{
	struct vfio_pci_driver *driver = &self->device->driver;

	vfio_pci_driver_remove(self->device);
	region_teardown(self->iommu, &self->buf);
	region_teardown(self->iommu, &driver->region);
	iova_allocator_cleanup(self->iova_allocator);
	vfio_pci_device_cleanup(self->device);
	iommu_cleanup(self->iommu);
}

TEST_F(vfio_pci_edu_test, memcpy)
{
	struct vfio_pci_device *device = self->device;
	/* Three full chunks and a partial one. */
	u64 size = 3 * device->driver.max_memcpy_size + 100;
	u64 i;

	for (i = 0; i < size; i++)
		((u8 *)self->src)[i] = i * 7;
	memset(self->dst, 'y', size + 1);

	ASSERT_EQ(0, vfio_pci_driver_memcpy(device, to_iova(device, self->src),
					    to_iova(device, self->dst), size));
	ASSERT_EQ(0, memcmp(self->src, self->dst, size));
	/* Not one byte further. */
	ASSERT_EQ('y', ((u8 *)self->dst)[size]);
	ASSERT_NOT_SIGNALLED(self->msi_fd);
}

TEST_F(vfio_pci_edu_test, memcpy_repeated)
{
	struct vfio_pci_device *device = self->device;
	u64 count = device->driver.max_memcpy_count;

	memset(self->src, 'x', SZ_4K);
	memset(self->dst, 'y', SZ_4K);

	vfio_pci_driver_memcpy_start(device, to_iova(device, self->src),
				     to_iova(device, self->dst), SZ_4K, count);
	ASSERT_EQ(0, vfio_pci_driver_memcpy_wait(device));
	ASSERT_EQ(0, memcmp(self->src, self->dst, SZ_4K));
	ASSERT_NOT_SIGNALLED(self->msi_fd);
}

TEST_F(vfio_pci_edu_test, send_msi)
{
	int i;

	for (i = 0; i < 5; i++) {
		vfio_pci_driver_send_msi(self->device);
		ASSERT_SIGNALLED(self->msi_fd, 1);
	}
}

TEST_F(vfio_pci_edu_test, init_remove)
{
	int i;

	for (i = 0; i < 3; i++) {
		vfio_pci_driver_remove(self->device);
		vfio_pci_driver_init(self->device);
	}
	self->msi_fd = self->device->msi_eventfds[self->device->driver.msi];
	fcntl_set_nonblock(self->msi_fd);
	vfio_pci_driver_send_msi(self->device);
	ASSERT_SIGNALLED(self->msi_fd, 1);
}

/* A DMA with the completion-interrupt bit raises the device's own status. */
TEST_F(vfio_pci_edu_test, dma_completion_msi)
{
	struct vfio_pci_device *device = self->device;
	void *bar0 = device->bars[0].vaddr;

	writeq(to_iova(device, self->src), bar0 + EDU_REG_DMA_SRC);
	writeq(EDU_DMA_BUF_ADDR, bar0 + EDU_REG_DMA_DST);
	writeq(64, bar0 + EDU_REG_DMA_COUNT);
	writeq(EDU_DMA_CMD_RUN | EDU_DMA_CMD_IRQ, bar0 + EDU_REG_DMA_CMD);

	ASSERT_SIGNALLED(self->msi_fd, 1);
	ASSERT_EQ(EDU_IRQ_DMA, edu_irq_status(device) & EDU_IRQ_DMA);
	ASSERT_EQ(0, readq(bar0 + EDU_REG_DMA_CMD) & EDU_DMA_CMD_RUN);
	writel(EDU_IRQ_DMA, bar0 + EDU_REG_IRQ_ACK);
	ASSERT_EQ(0, edu_irq_status(device));
}

static bool suitable(struct vfio_pci_device *device)
{
	return device->driver.ops && !strcmp(device->driver.ops->name, "edu");
}

int main(int argc, char *argv[])
{
	return irq_test_main(argc, argv, &device_bdf, suitable,
			     "driven by the libvfio edu driver");
}
