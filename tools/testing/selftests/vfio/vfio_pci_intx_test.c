// SPDX-License-Identifier: GPL-2.0-only
/*
 * INTx through VFIO_DEVICE_SET_IRQS, on QEMU's edu device: trigger, automask,
 * unmask (ioctl and eventfd), mask, virtual DisINTx and loopback.
 *
 * edu holds INTx asserted (level) from a write of EDU_REG_IRQ_RAISE until the
 * status is acked, which makes every masking rule observable: an interrupt
 * that is asserted but masked shows up in PCI_STATUS_INTERRUPT and not in the
 * trigger eventfd.
 */
#include <errno.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest_harness.h"
#include "vfio_pci_irq_test.h"

#define INTX VFIO_PCI_INTX_IRQ_INDEX

static const char *device_bdf;

FIXTURE(vfio_pci_intx_test) {
	struct iommu *iommu;
	struct vfio_pci_device *device;
	int trigger;
};

FIXTURE_SETUP(vfio_pci_intx_test)
{
	self->iommu = iommu_init(default_iommu_mode);
	self->device = vfio_pci_device_init(device_bdf, self->iommu);
	self->trigger = eventfd_nonblock();

	vfio_pci_cmd_set(self->device, PCI_COMMAND_MEMORY);
	edu_irq_ack(self->device);
}

FIXTURE_TEARDOWN(vfio_pci_intx_test)
{
	/* Never leave the line asserted behind a handler that goes away. */
	edu_irq_ack(self->device);
	vfio_pci_device_cleanup(self->device);
	iommu_cleanup(self->iommu);
	close(self->trigger);
}

static int intx_enable(struct vfio_pci_device *device, int fd)
{
	return __vfio_pci_set_irqs_eventfd(device, VFIO_IRQ_SET_ACTION_TRIGGER,
					   INTX, 0, 1, &fd);
}

static int intx_action(struct vfio_pci_device *device, u32 action)
{
	return __vfio_pci_set_irqs_none(device, action, INTX, 0, 1);
}

static int intx_action_bool(struct vfio_pci_device *device, u32 action, u8 b)
{
	return __vfio_pci_set_irqs_bool(device, action, INTX, 0, 1, &b);
}

TEST_F(vfio_pci_intx_test, irq_info)
{
	struct vfio_irq_info info;

	vfio_pci_get_irq_info(self->device, INTX, &info);
	ASSERT_EQ(1, info.count);
	ASSERT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
		  VFIO_IRQ_INFO_AUTOMASKED, info.flags);
}

/* One interrupt, one signal; then the line stays masked until unmasked. */
TEST_F(vfio_pci_intx_test, trigger_and_automask)
{
	struct vfio_pci_device *device = self->device;

	ASSERT_EQ(0, intx_enable(device, self->trigger));

	edu_irq_raise(device);
	ASSERT_SIGNALLED(self->trigger, 1);

	/* Automasked: a new assertion is not delivered... */
	edu_irq_ack(device);
	ASSERT_FALSE(intx_asserted(device));
	edu_irq_raise(device);
	ASSERT_TRUE(intx_asserted(device));
	ASSERT_NOT_SIGNALLED(self->trigger);

	/* ...until unmasked, which delivers the pending one. */
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));
	ASSERT_SIGNALLED(self->trigger, 1);
	ASSERT_NOT_SIGNALLED(self->trigger);

	/* Unmask with nothing pending: nothing, then the next one arrives. */
	edu_irq_ack(device);
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));
	ASSERT_NOT_SIGNALLED(self->trigger);
	edu_irq_raise(device);
	ASSERT_SIGNALLED(self->trigger, 1);

	/* Unmask while still asserted: delivered again (level semantics). */
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));
	ASSERT_SIGNALLED(self->trigger, 1);
	edu_irq_ack(device);
}

/* ACTION_UNMASK | DATA_EVENTFD: a write to the eventfd unmasks. */
TEST_F(vfio_pci_intx_test, unmask_eventfd)
{
	struct vfio_pci_device *device = self->device;
	int unmask = eventfd_nonblock();
	int i;

	ASSERT_EQ(0, intx_enable(device, self->trigger));
	ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
						 VFIO_IRQ_SET_ACTION_UNMASK,
						 INTX, 0, 1, &unmask));

	for (i = 0; i < 3; i++) {
		edu_irq_raise(device);
		ASSERT_SIGNALLED(self->trigger, 1);
		edu_irq_ack(device);
		ASSERT_EQ(8, write(unmask, &(u64){1}, 8));
	}

	/* An assertion while the unmask is in flight is not lost. */
	edu_irq_raise(device);
	ASSERT_SIGNALLED(self->trigger, 1);
	ASSERT_EQ(8, write(unmask, &(u64){1}, 8));
	ASSERT_SIGNALLED(self->trigger, 1);
	edu_irq_ack(device);
	ASSERT_EQ(8, write(unmask, &(u64){1}, 8));

	/*
	 * fd -1 unregisters it: the kernel no longer consumes the eventfd
	 * (while registered, each write is consumed by the unmask).
	 */
	edu_irq_raise(device);
	ASSERT_SIGNALLED(self->trigger, 1);
	ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
						 VFIO_IRQ_SET_ACTION_UNMASK,
						 INTX, 0, 1, &(int){-1}));
	ASSERT_EQ(8, write(unmask, &(u64){1}, 8));
	ASSERT_EQ(1, eventfd_drain(unmask));
	ASSERT_NOT_SIGNALLED(self->trigger);
	edu_irq_ack(device);

	close(unmask);
}

/* MASK and UNMASK with DATA_NONE and DATA_BOOL. */
TEST_F(vfio_pci_intx_test, mask_unmask)
{
	struct vfio_pci_device *device = self->device;

	ASSERT_EQ(0, intx_enable(device, self->trigger));

	/* MASK/NONE masks: asserted, not delivered. */
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_MASK));
	edu_irq_raise(device);
	ASSERT_TRUE(intx_asserted(device));
	ASSERT_NOT_SIGNALLED(self->trigger);

	/* UNMASK/BOOL false is a no-op, true unmasks. */
	ASSERT_EQ(0, intx_action_bool(device, VFIO_IRQ_SET_ACTION_UNMASK, 0));
	ASSERT_NOT_SIGNALLED(self->trigger);
	ASSERT_EQ(0, intx_action_bool(device, VFIO_IRQ_SET_ACTION_UNMASK, 1));
	ASSERT_SIGNALLED(self->trigger, 1);
	edu_irq_ack(device);
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));

	/* MASK/BOOL false is a no-op: the next assertion is delivered. */
	ASSERT_EQ(0, intx_action_bool(device, VFIO_IRQ_SET_ACTION_MASK, 0));
	edu_irq_raise(device);
	ASSERT_SIGNALLED(self->trigger, 1);
	edu_irq_ack(device);
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));

	/* MASK/BOOL true masks; masking twice needs one unmask. */
	ASSERT_EQ(0, intx_action_bool(device, VFIO_IRQ_SET_ACTION_MASK, 1));
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_MASK));
	edu_irq_raise(device);
	ASSERT_NOT_SIGNALLED(self->trigger);
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));
	ASSERT_SIGNALLED(self->trigger, 1);
	edu_irq_ack(device);

	/* MASK with DATA_EVENTFD is not implemented upstream. */
	ASSERT_EQ(-ENOTTY, __vfio_pci_set_irqs_eventfd(device,
						       VFIO_IRQ_SET_ACTION_MASK,
						       INTX, 0, 1,
						       &self->trigger));
}

/* PCI_COMMAND_INTX_DISABLE written through the config region is virtual. */
TEST_F(vfio_pci_intx_test, virtual_disintx)
{
	struct vfio_pci_device *device = self->device;

	ASSERT_EQ(0, intx_enable(device, self->trigger));

	vfio_pci_cmd_set(device, PCI_COMMAND_INTX_DISABLE);
	ASSERT_TRUE(vfio_pci_config_readw(device, PCI_COMMAND) &
		    PCI_COMMAND_INTX_DISABLE);

	edu_irq_raise(device);
	ASSERT_TRUE(intx_asserted(device));
	ASSERT_NOT_SIGNALLED(self->trigger);

	/* Unmask and even loopback are suppressed while DisINTx is set. */
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_TRIGGER));
	ASSERT_NOT_SIGNALLED(self->trigger);

	/* Clearing it delivers the pending interrupt. */
	vfio_pci_cmd_clear(device, PCI_COMMAND_INTX_DISABLE);
	ASSERT_FALSE(vfio_pci_config_readw(device, PCI_COMMAND) &
		     PCI_COMMAND_INTX_DISABLE);
	ASSERT_SIGNALLED(self->trigger, 1);
	ASSERT_NOT_SIGNALLED(self->trigger);

	edu_irq_ack(device);
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));
	edu_irq_raise(device);
	ASSERT_SIGNALLED(self->trigger, 1);
	edu_irq_ack(device);
}

/* DisINTx set before INTx is enabled: enabled masked. */
TEST_F(vfio_pci_intx_test, disintx_before_enable)
{
	struct vfio_pci_device *device = self->device;

	vfio_pci_cmd_set(device, PCI_COMMAND_INTX_DISABLE);
	ASSERT_EQ(0, intx_enable(device, self->trigger));

	edu_irq_raise(device);
	ASSERT_TRUE(intx_asserted(device));
	ASSERT_NOT_SIGNALLED(self->trigger);

	vfio_pci_cmd_clear(device, PCI_COMMAND_INTX_DISABLE);
	ASSERT_SIGNALLED(self->trigger, 1);
	edu_irq_ack(device);
}

/* TRIGGER with DATA_NONE / DATA_BOOL signals the eventfd from the kernel. */
TEST_F(vfio_pci_intx_test, trigger_loopback)
{
	struct vfio_pci_device *device = self->device;

	/* Not enabled: nothing to loop back to. */
	ASSERT_EQ(-EINVAL, intx_action(device, VFIO_IRQ_SET_ACTION_TRIGGER));

	ASSERT_EQ(0, intx_enable(device, self->trigger));

	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_TRIGGER));
	ASSERT_SIGNALLED(self->trigger, 1);
	ASSERT_EQ(0, intx_action_bool(device, VFIO_IRQ_SET_ACTION_TRIGGER, 1));
	ASSERT_SIGNALLED(self->trigger, 1);
	ASSERT_EQ(0, intx_action_bool(device, VFIO_IRQ_SET_ACTION_TRIGGER, 0));
	ASSERT_NOT_SIGNALLED(self->trigger);

	/* Loopback does not mask: the device interrupt still arrives. */
	edu_irq_raise(device);
	ASSERT_SIGNALLED(self->trigger, 1);
	edu_irq_ack(device);
}

/* A new eventfd replaces the trigger; fd -1 keeps INTx enabled without one. */
TEST_F(vfio_pci_intx_test, trigger_swap)
{
	struct vfio_pci_device *device = self->device;
	int other = eventfd_nonblock();

	ASSERT_EQ(0, intx_enable(device, self->trigger));
	ASSERT_EQ(0, intx_enable(device, other));

	edu_irq_raise(device);
	ASSERT_SIGNALLED(other, 1);
	ASSERT_NOT_SIGNALLED(self->trigger);
	edu_irq_ack(device);
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));

	/* fd -1: still INTx (MSI cannot be enabled), but nobody signalled. */
	ASSERT_EQ(0, intx_enable(device, -1));
	ASSERT_EQ(-EINVAL, __vfio_pci_set_irqs_eventfd(device,
						       VFIO_IRQ_SET_ACTION_TRIGGER,
						       VFIO_PCI_MSI_IRQ_INDEX,
						       0, 1, &other));
	edu_irq_raise(device);
	ASSERT_TRUE(intx_asserted(device));
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_TRIGGER));
	ASSERT_NOT_SIGNALLED(other);
	ASSERT_NOT_SIGNALLED(self->trigger);

	/*
	 * Installing a trigger again: the assertion is delivered to it, either
	 * by the interrupt itself or, if that was already taken and masked
	 * with no trigger to signal, by the unmask.
	 */
	ASSERT_EQ(0, intx_enable(device, self->trigger));
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));
	ASSERT_LE(1, eventfd_wait(self->trigger, VFIO_IRQ_WAIT_MS));
	ASSERT_NOT_SIGNALLED(other);
	edu_irq_ack(device);

	close(other);
}

/* Enable with a negative fd: INTx on, no trigger (an upstream corner). */
TEST_F(vfio_pci_intx_test, enable_without_trigger)
{
	struct vfio_pci_device *device = self->device;

	ASSERT_EQ(0, intx_enable(device, -5));
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_TRIGGER));
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_MASK));
	ASSERT_EQ(0, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));

	/* Disable, and disable again. */
	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      INTX, 0, 0));
	ASSERT_EQ(-EINVAL, __vfio_pci_set_irqs_none(device,
						    VFIO_IRQ_SET_ACTION_TRIGGER,
						    INTX, 0, 0));
	ASSERT_EQ(-EINVAL, intx_action(device, VFIO_IRQ_SET_ACTION_UNMASK));
}

/* Disable then re-enable: a clean, unmasked start. */
TEST_F(vfio_pci_intx_test, disable_reenable)
{
	struct vfio_pci_device *device = self->device;
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, intx_enable(device, self->trigger));
		edu_irq_raise(device);
		ASSERT_SIGNALLED(self->trigger, 1);
		edu_irq_ack(device);
		/* Disabled while automasked. */
		ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
						      VFIO_IRQ_SET_ACTION_TRIGGER,
						      INTX, 0, 0));
		ASSERT_NOT_SIGNALLED(self->trigger);
	}
}

/* /proc/interrupts: "vfio-intx(bdf)" while enabled; the line counts. */
TEST_F(vfio_pci_intx_test, proc_interrupts)
{
	struct vfio_pci_device *device = self->device;
	char name[64];
	long before;

	vfio_irq_name(name, sizeof(name), INTX, 0, device->bdf);
	ASSERT_EQ(-1, proc_interrupts_count(name));

	ASSERT_EQ(0, intx_enable(device, self->trigger));
	before = proc_interrupts_count(name);
	ASSERT_LE(0, before);
	edu_irq_raise(device);
	ASSERT_SIGNALLED(self->trigger, 1);
	/* The line may be shared: at least our interrupt was counted. */
	ASSERT_LT(before, proc_interrupts_count(name));
	edu_irq_ack(device);

	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      INTX, 0, 0));
	ASSERT_EQ(-1, proc_interrupts_count(name));
}

static bool suitable(struct vfio_pci_device *device)
{
	return is_edu(device) && device->bars[0].vaddr;
}

int main(int argc, char *argv[])
{
	return irq_test_main(argc, argv, &device_bdf, suitable,
			     "a QEMU edu device (1234:11e8)");
}
