// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI through VFIO_DEVICE_SET_IRQS, on QEMU's edu device (one MSI vector, no
 * per-vector masking): enable, device-fired interrupts, loopback, trigger
 * replacement, disable.
 */
#include <errno.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest_harness.h"
#include "vfio_pci_irq_test.h"

#define MSI VFIO_PCI_MSI_IRQ_INDEX

static const char *device_bdf;

FIXTURE(vfio_pci_msi_test) {
	struct iommu *iommu;
	struct vfio_pci_device *device;
	int trigger;
};

FIXTURE_SETUP(vfio_pci_msi_test)
{
	self->iommu = iommu_init(default_iommu_mode);
	self->device = vfio_pci_device_init(device_bdf, self->iommu);
	self->trigger = eventfd_nonblock();

	/* MSI is a DMA write: it needs bus mastering. */
	vfio_pci_cmd_set(self->device, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	edu_irq_ack(self->device);
}

FIXTURE_TEARDOWN(vfio_pci_msi_test)
{
	edu_irq_ack(self->device);
	vfio_pci_device_cleanup(self->device);
	iommu_cleanup(self->iommu);
	close(self->trigger);
}

static int msi_set(struct vfio_pci_device *device, int fd)
{
	return __vfio_pci_set_irqs_eventfd(device, VFIO_IRQ_SET_ACTION_TRIGGER,
					   MSI, 0, 1, &fd);
}

static int msi_disable(struct vfio_pci_device *device)
{
	return __vfio_pci_set_irqs_none(device, VFIO_IRQ_SET_ACTION_TRIGGER,
					MSI, 0, 0);
}

/* Fire one MSI from the device and expect exactly one signal on @fd. */
#define ASSERT_DEVICE_MSI(_device, _fd) do {		\
	struct vfio_pci_device *__device = (_device);	\
							\
	edu_irq_raise(__device);			\
	ASSERT_SIGNALLED(_fd, 1);			\
	edu_irq_ack(__device);				\
} while (0)

TEST_F(vfio_pci_msi_test, irq_info)
{
	struct vfio_irq_info info;

	vfio_pci_get_irq_info(self->device, MSI, &info);
	ASSERT_EQ(1, info.count);
	ASSERT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, info.flags);

	/* No MSI-X capability: count 0, but still described. */
	vfio_pci_get_irq_info(self->device, VFIO_PCI_MSIX_IRQ_INDEX, &info);
	ASSERT_EQ(0, info.count);
	ASSERT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, info.flags);

	/* ERR and REQ always have one. */
	vfio_pci_get_irq_info(self->device, VFIO_PCI_ERR_IRQ_INDEX, &info);
	ASSERT_EQ(1, info.count);
	ASSERT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, info.flags);
	vfio_pci_get_irq_info(self->device, VFIO_PCI_REQ_IRQ_INDEX, &info);
	ASSERT_EQ(1, info.count);
	ASSERT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, info.flags);
}

TEST_F(vfio_pci_msi_test, enable_fire_disable)
{
	struct vfio_pci_device *device = self->device;
	int i;

	ASSERT_EQ(0, msi_set(device, self->trigger));

	for (i = 0; i < 5; i++)
		ASSERT_DEVICE_MSI(device, self->trigger);

	ASSERT_EQ(0, msi_disable(device));
	ASSERT_NOT_SIGNALLED(self->trigger);

	/* Disabled: INTx can be enabled, MSI loopback is refused. */
	ASSERT_EQ(-EINVAL, __vfio_pci_set_irqs_none(device,
						    VFIO_IRQ_SET_ACTION_TRIGGER,
						    MSI, 0, 1));
	ASSERT_EQ(-EINVAL, msi_disable(device));
}

TEST_F(vfio_pci_msi_test, loopback)
{
	struct vfio_pci_device *device = self->device;

	ASSERT_EQ(0, msi_set(device, self->trigger));

	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSI, 0, 1));
	ASSERT_SIGNALLED(self->trigger, 1);
	ASSERT_EQ(0, __vfio_pci_set_irqs_bool(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSI, 0, 1, &(u8){1}));
	ASSERT_SIGNALLED(self->trigger, 1);
	ASSERT_EQ(0, __vfio_pci_set_irqs_bool(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSI, 0, 1, &(u8){0}));
	ASSERT_NOT_SIGNALLED(self->trigger);

	/* DATA_NONE with count 0 is "disable", not a loopback. */
	ASSERT_EQ(0, msi_disable(device));
	ASSERT_NOT_SIGNALLED(self->trigger);
}

/* SET_IRQS on a live MSI block replaces the eventfd. */
TEST_F(vfio_pci_msi_test, trigger_swap)
{
	struct vfio_pci_device *device = self->device;
	int other = eventfd_nonblock();

	ASSERT_EQ(0, msi_set(device, self->trigger));
	ASSERT_DEVICE_MSI(device, self->trigger);

	ASSERT_EQ(0, msi_set(device, other));
	ASSERT_DEVICE_MSI(device, other);
	ASSERT_NOT_SIGNALLED(self->trigger);

	ASSERT_EQ(0, msi_set(device, self->trigger));
	ASSERT_DEVICE_MSI(device, self->trigger);
	ASSERT_NOT_SIGNALLED(other);

	/* fd -1 unsets the vector but MSI stays the active index. */
	ASSERT_EQ(0, msi_set(device, -1));
	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSI, 0, 1));
	ASSERT_NOT_SIGNALLED(self->trigger);
	ASSERT_EQ(-EINVAL, __vfio_pci_set_irqs_eventfd(device,
						       VFIO_IRQ_SET_ACTION_TRIGGER,
						       VFIO_PCI_INTX_IRQ_INDEX,
						       0, 1, &other));

	ASSERT_EQ(0, msi_set(device, other));
	ASSERT_DEVICE_MSI(device, other);

	close(other);
}

/* MSI and INTx exclude each other; disabling one frees the device for the other. */
TEST_F(vfio_pci_msi_test, msi_intx_exclusive)
{
	struct vfio_pci_device *device = self->device;
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, msi_set(device, self->trigger));
		ASSERT_EQ(-EINVAL, __vfio_pci_set_irqs_eventfd(device,
							       VFIO_IRQ_SET_ACTION_TRIGGER,
							       VFIO_PCI_INTX_IRQ_INDEX,
							       0, 1, &self->trigger));
		ASSERT_DEVICE_MSI(device, self->trigger);
		ASSERT_EQ(0, msi_disable(device));

		ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
							 VFIO_IRQ_SET_ACTION_TRIGGER,
							 VFIO_PCI_INTX_IRQ_INDEX,
							 0, 1, &self->trigger));
		ASSERT_EQ(-EINVAL, msi_set(device, self->trigger));
		ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
						      VFIO_IRQ_SET_ACTION_TRIGGER,
						      VFIO_PCI_INTX_IRQ_INDEX,
						      0, 0));
	}
	ASSERT_NOT_SIGNALLED(self->trigger);
}

/* /proc/interrupts: "vfio-msi[0](bdf)" while enabled, counting each message. */
TEST_F(vfio_pci_msi_test, proc_interrupts)
{
	struct vfio_pci_device *device = self->device;
	char name[64];
	long before;

	vfio_irq_name(name, sizeof(name), MSI, 0, device->bdf);
	ASSERT_EQ(-1, proc_interrupts_count(name));

	ASSERT_EQ(0, msi_set(device, self->trigger));
	before = proc_interrupts_count(name);
	ASSERT_LE(0, before);
	ASSERT_DEVICE_MSI(device, self->trigger);
	ASSERT_EQ(before + 1, proc_interrupts_count(name));

	ASSERT_EQ(0, msi_disable(device));
	ASSERT_EQ(-1, proc_interrupts_count(name));
}

static bool suitable(struct vfio_pci_device *device)
{
	return is_edu(device) && device->bars[0].vaddr && device->msi_info.count;
}

int main(int argc, char *argv[])
{
	return irq_test_main(argc, argv, &device_bdf, suitable,
			     "a QEMU edu device with MSI");
}
