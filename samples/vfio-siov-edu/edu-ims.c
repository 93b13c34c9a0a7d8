// SPDX-License-Identifier: GPL-2.0
/*
 * edu SIOV reference driver: the edu device as PCI/IMS parent
 *
 * QEMU's edu device (1234:11e8) has no interrupt message store, but it has
 * a DMA engine, and an MSI is nothing but a DMA write of the message data
 * to the message address. So the IMS entries live in driver memory
 * (struct edu_ims_slot) and sending the message of entry n means: load the
 * entry's data word into edu's DMA buffer, then DMA that word to the
 * entry's message address. Under interrupt remapping that address is the
 * remappable format composed by the remapping unit, and the DMA carries
 * edu's requester id, which the remapping entry's source id check expects.
 *
 * The single DMA engine takes about 100 ms of virtual time per transfer,
 * so fires are queued and sent by a work item, one DMA at a time; the
 * engine's completion is signalled by edu's own MSI. A masked entry
 * latches a fire as pending and sends it once on unmask, like MSI-X.
 * Fires of an entry which are still queued coalesce, like an edge.
 *
 * The module also hands out virtual devices of the edu device (SIOV
 * slices), VFIO devices whose MSI-X vectors are IMS entries of this
 * device: edu-siov.c creates them, edu-vdev.c is their driver. This file
 * is the parent: the PCI driver, the IMS domain and the message sending
 * they use (edu_ims_fire(), edu_ims_quiesce_irq()).
 *
 * Locking rules:
 *  - edu_ims::slot_lock (raw spinlock) protects the entries and the queue;
 *    the IMS chip callbacks take it under the interrupt descriptor lock,
 *    edu_ims_fire() takes it from any context.
 *  - edu_ims::dma_lock (mutex) serialises the DMA engine; the fire work
 *    takes a message and sends it under it, one message per hold, so
 *    holding it once waits for the message in flight. It is never taken
 *    under slot_lock.
 *  - edu_ims::vdev_lock (mutex): see edu-siov.c.
 */
#include <linux/bitmap.h>
#include <linux/cleanup.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>

#include "edu-ims.h"
#include "edu-siov.h"

#define EDU_DRV_NAME		"vfio-siov-edu"

#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98

#define EDU_DMA_START		BIT(0)
#define EDU_DMA_TO_RAM		BIT(1)
#define EDU_DMA_IRQ		BIT(2)
#define EDU_IRQ_DMA		BIT(8)

/* The engine needs 100 ms of virtual time per transfer */
#define EDU_DMA_TIMEOUT_MS	5000

static unsigned int ims_slots = 4096;
module_param(ims_slots, uint, 0444);
MODULE_PARM_DESC(ims_slots, "Number of IMS entries per edu device (default 4096)");

/*
 * edu's DMA engine truncates addresses to its dma_mask property, 28 bits
 * unless QEMU is told otherwise, and nothing in the device tells how wide
 * it is. An MSI address needs 32 bits.
 */
#define EDU_MSI_DMA_BITS	32

/* Writable: read once per probe, so it can be fixed before a rebind. */
static unsigned int dma_bits = 28;
module_param(dma_bits, uint, 0644);
MODULE_PARM_DESC(dma_bits, "DMA address bits of the edu devices, as QEMU's edu,dma_mask property sets them (default 28, QEMU's default; IMS needs 32; read at probe)");

/* The DMA engine */

static irqreturn_t edu_irq(int irq, void *dev_id)
{
	struct edu_ims *edu = dev_id;
	u32 status = readl(edu->bar + EDU_REG_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;

	writel(status, edu->bar + EDU_REG_IRQ_ACK);
	if (status & EDU_IRQ_DMA)
		complete(&edu->dma_done);
	return IRQ_HANDLED;
}

static int edu_dma_run_locked(struct edu_ims *edu, u64 src, u64 dst, u64 dir)
{
	lockdep_assert_held(&edu->dma_lock);

	if (edu->dma_dead)
		return -EIO;
	reinit_completion(&edu->dma_done);
	writeq(src, edu->bar + EDU_REG_DMA_SRC);
	writeq(dst, edu->bar + EDU_REG_DMA_DST);
	writeq(sizeof(u32), edu->bar + EDU_REG_DMA_CNT);
	writeq(dir | EDU_DMA_IRQ | EDU_DMA_START, edu->bar + EDU_REG_DMA_CMD);

	if (!wait_for_completion_timeout(&edu->dma_done,
					 msecs_to_jiffies(EDU_DMA_TIMEOUT_MS))) {
		dev_err(&edu->pdev->dev, "DMA %#llx -> %#llx timed out, DMA engine disabled\n",
			src, dst);
		edu->dma_dead = true;
		return -ETIMEDOUT;
	}
	return 0;
}

/* Find or load @data in edu's buffer; returns its device address in @src */
static int edu_stage_data_locked(struct edu_ims *edu, u32 data, u64 *src)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&edu->dma_lock);

	for_each_set_bit(i, edu->bufvalid, EDU_BUF_WORDS) {
		if (edu->bufval[i] == data) {
			*src = EDU_BUF_BASE + i * sizeof(u32);
			return 0;
		}
	}

	i = edu->buf_next;
	edu->buf_next = (i + 1) % EDU_BUF_WORDS;
	__clear_bit(i, edu->bufvalid);

	*edu->stage = cpu_to_le32(data);
	ret = edu_dma_run_locked(edu, edu->stage_dma, EDU_BUF_BASE + i * sizeof(u32), 0);
	if (ret)
		return ret;

	edu->bufval[i] = data;
	__set_bit(i, edu->bufvalid);
	*src = EDU_BUF_BASE + i * sizeof(u32);
	return 0;
}

static void edu_send_msg_locked(struct edu_ims *edu, unsigned int index, u64 addr, u32 data)
{
	u64 src;

	lockdep_assert_held(&edu->dma_lock);

	if (edu_stage_data_locked(edu, data, &src) ||
	    edu_dma_run_locked(edu, src, addr, EDU_DMA_TO_RAM))
		dev_err_ratelimited(&edu->pdev->dev, "IMS %u: message lost\n", index);
}

/* The IMS entries */

static void edu_queue_locked(struct edu_ims *edu, unsigned int index)
{
	lockdep_assert_held(&edu->slot_lock);

	__set_bit(index, edu->queued);
	queue_work(system_dfl_long_wq, &edu->fire_work);
}

/*
 * Take the next queued message which may be sent; latch those masked.
 * Round robin from the entry after the last one taken, so that an entry
 * fired over and over cannot starve the others.
 */
static bool edu_next_msg_locked(struct edu_ims *edu, unsigned int *index, u64 *addr,
				u32 *data)
{
	struct edu_ims_slot *slot;
	unsigned int i;

	lockdep_assert_held(&edu->dma_lock);
	guard(raw_spinlock_irqsave)(&edu->slot_lock);

	for (;;) {
		i = find_next_bit(edu->queued, edu->nr_slots, edu->fire_next);
		if (i >= edu->nr_slots) {
			if (!edu->fire_next)
				return false;
			/* Wrap around */
			edu->fire_next = 0;
			continue;
		}

		__clear_bit(i, edu->queued);
		edu->fire_next = i + 1;
		slot = &edu->slots[i];
		if (slot->masked) {
			slot->pending = true;
			continue;
		}
		/* Not active: there is no message to send */
		if (!slot->addr)
			continue;

		*index = i;
		*addr = slot->addr;
		*data = slot->data;
		return true;
	}
}

/* One message per hold of dma_lock: see edu_ims_quiesce_irq() */
static bool edu_send_next_msg(struct edu_ims *edu)
{
	unsigned int index;
	u64 addr;
	u32 data;

	guard(mutex)(&edu->dma_lock);
	if (!edu_next_msg_locked(edu, &index, &addr, &data))
		return false;
	edu_send_msg_locked(edu, index, addr, data);
	return true;
}

static void edu_fire_work(struct work_struct *work)
{
	struct edu_ims *edu = container_of(work, struct edu_ims, fire_work);

	while (edu_send_next_msg(edu))
		;
}

/**
 * edu_ims_fire - Make the device send the message of an IMS entry
 * @edu:	The edu device
 * @index:	The IMS index
 *
 * If the entry is masked the message is latched as pending instead.
 *
 * Context: Any context.
 * Return: 0 on success, -EINVAL if @index is out of range.
 */
int edu_ims_fire(struct edu_ims *edu, unsigned int index)
{
	if (index >= edu->nr_slots)
		return -EINVAL;

	guard(raw_spinlock_irqsave)(&edu->slot_lock);
	if (edu->slots[index].masked)
		edu->slots[index].pending = true;
	else
		edu_queue_locked(edu, index);
	return 0;
}

/**
 * edu_ims_pending - Whether an IMS entry has a message latched while masked
 * @edu:	The edu device
 * @index:	The IMS index, below edu_ims::nr_slots
 *
 * Context: Any context.
 * Return: The entry's pending bit.
 */
bool edu_ims_pending(struct edu_ims *edu, unsigned int index)
{
	guard(raw_spinlock_irqsave)(&edu->slot_lock);
	return edu->slots[index].pending;
}

/**
 * edu_ims_masked - Whether an IMS entry is masked
 * @edu:	The edu device
 * @index:	The IMS index, below edu_ims::nr_slots
 *
 * Context: Any context.
 * Return: The entry's mask bit.
 */
bool edu_ims_masked(struct edu_ims *edu, unsigned int index)
{
	guard(raw_spinlock_irqsave)(&edu->slot_lock);
	return edu->slots[index].masked;
}

/**
 * edu_ims_cookie - The instance cookie the IMS chip recorded for an entry
 * @edu:	The edu device
 * @index:	The IMS index, below edu_ims::nr_slots
 *
 * Context: Any context.
 * Return: The cookie seen by the chip when the entry's message was written.
 */
u64 edu_ims_cookie(struct edu_ims *edu, unsigned int index)
{
	guard(raw_spinlock_irqsave)(&edu->slot_lock);
	return edu->slots[index].cookie;
}

/**
 * edu_ims_quiesce - Wait until every queued message has been handled
 * @edu:	The edu device
 *
 * On return every fire issued before the call has been sent, or latched
 * as pending on a masked entry, or dropped on an inactive one.
 *
 * Context: Process context, may sleep for the DMA transfers.
 */
void edu_ims_quiesce(struct edu_ims *edu)
{
	flush_work(&edu->fire_work);
}

/**
 * edu_ims_quiesce_irq - Silence one IMS entry before its interrupt goes
 * @edu:	The edu device
 * @index:	The IMS index, below edu_ims::nr_slots
 *
 * Masks the entry, drops a queued or latched message of it and waits for
 * a message of it the DMA engine may be sending. On return the device
 * sends nothing for the entry until its interrupt is started again. The
 * wait is bounded by one DMA transfer, however busy the other entries are.
 *
 * Context: Process context, may sleep for the DMA transfers.
 */
void edu_ims_quiesce_irq(struct edu_ims *edu, unsigned int index)
{
	scoped_guard(raw_spinlock_irqsave, &edu->slot_lock) {
		__clear_bit(index, edu->queued);
		edu->slots[index].masked = true;
		edu->slots[index].pending = false;
	}
	/*
	 * A message of the entry taken before it was masked is sent under
	 * dma_lock: wait for that one only, not for the messages of other
	 * entries, which other virtual devices may keep queueing.
	 */
	mutex_lock(&edu->dma_lock);
	mutex_unlock(&edu->dma_lock);
}

/**
 * edu_ims_alloc_irq - Allocate an IMS interrupt of the edu device
 * @edu:	The edu device
 * @index:	The IMS index, or %MSI_ANY_INDEX
 * @cookie:	The instance cookie, e.g. a virtual device id
 *
 * Context: Process context.
 * Return: The mapping; msi_map::index is a negative errno on failure.
 */
struct msi_map edu_ims_alloc_irq(struct edu_ims *edu, unsigned int index, u64 cookie)
{
	union msi_instance_cookie icookie = { .value = cookie };

	if (edu->ims_status)
		return (struct msi_map){ .index = edu->ims_status };

	return pci_ims_alloc_irq(edu->pdev, index, &icookie, NULL);
}

/**
 * edu_ims_free_irq - Free a requested IMS interrupt of the edu device
 * @edu:	The edu device
 * @map:	The mapping from edu_ims_alloc_irq()
 * @dev_id:	The handler's cookie given to request_irq()
 *
 * The entry is quiesced (edu_ims_quiesce_irq()) before the interrupt is
 * torn down, so no message of it is in flight once the remapping entry goes.
 *
 * Context: Process context, may sleep for the DMA transfers.
 */
void edu_ims_free_irq(struct edu_ims *edu, struct msi_map map, void *dev_id)
{
	edu_ims_quiesce_irq(edu, map.index);
	free_irq(map.virq, dev_id);
	pci_ims_free_irq(edu->pdev, map);
}

/* The IMS chip: the entries in driver memory are the message store */

static struct edu_ims *edu_from_irqd(struct irq_data *d)
{
	return pci_get_drvdata(to_pci_dev(irq_data_get_msi_desc(d)->dev));
}

static void edu_ims_irq_mask(struct irq_data *d)
{
	struct edu_ims *edu = edu_from_irqd(d);

	guard(raw_spinlock_irqsave)(&edu->slot_lock);
	edu->slots[irqd_to_hwirq(d)].masked = true;
}

static void edu_ims_irq_unmask(struct irq_data *d)
{
	struct edu_ims *edu = edu_from_irqd(d);
	unsigned int index = irqd_to_hwirq(d);
	struct edu_ims_slot *slot = &edu->slots[index];

	guard(raw_spinlock_irqsave)(&edu->slot_lock);
	slot->masked = false;
	if (slot->pending) {
		slot->pending = false;
		edu_queue_locked(edu, index);
	}
}

static void edu_ims_irq_write_msg(struct irq_data *d, struct msi_msg *msg)
{
	struct edu_ims *edu = edu_from_irqd(d);
	struct edu_ims_slot *slot = &edu->slots[irqd_to_hwirq(d)];

	guard(raw_spinlock_irqsave)(&edu->slot_lock);
	slot->addr = (u64)msg->address_hi << 32 | msg->address_lo;
	slot->data = msg->data;
	slot->cookie = pci_ims_irqd_cookie(d).value;
	/* Deactivated: what was latched has nowhere to go */
	if (!slot->addr)
		slot->pending = false;
}

static const struct msi_domain_template edu_ims_template = {
	.chip = {
		.name			= "EDU-IMS",
		.irq_mask		= edu_ims_irq_mask,
		.irq_unmask		= edu_ims_irq_unmask,
		.irq_write_msi_msg	= edu_ims_irq_write_msg,
	},
};

/* The PCI driver */

static void edu_stop_fire_work(void *data)
{
	struct edu_ims *edu = data;

	cancel_work_sync(&edu->fire_work);
}

static int edu_init_hw(struct edu_ims *edu)
{
	struct pci_dev *pdev = edu->pdev;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);

	edu->bar = pcim_iomap_region(pdev, 0, EDU_DRV_NAME);
	if (IS_ERR(edu->bar))
		return PTR_ERR(edu->bar);

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(edu->dma_bits));
	if (ret)
		return ret;

	edu->stage = dmam_alloc_coherent(&pdev->dev, sizeof(*edu->stage),
					 &edu->stage_dma, GFP_KERNEL);
	if (!edu->stage)
		return -ENOMEM;

	/* edu's own MSI signals the completion of a DMA */
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;

	return devm_request_irq(&pdev->dev, pci_irq_vector(pdev, 0), edu_irq, 0,
				EDU_DRV_NAME, edu);
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	unsigned int bits = READ_ONCE(dma_bits);
	struct edu_ims *edu;
	unsigned int i;
	int ret;

	if (!ims_slots || ims_slots > MSI_MAX_INDEX + 1 || !bits || bits > 64)
		return -EINVAL;

	edu = devm_kzalloc(dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;

	edu->pdev = pdev;
	edu->nr_slots = ims_slots;
	edu->dma_bits = bits;
	raw_spin_lock_init(&edu->slot_lock);
	INIT_WORK(&edu->fire_work, edu_fire_work);
	mutex_init(&edu->dma_lock);
	init_completion(&edu->dma_done);
	mutex_init(&edu->vdev_lock);
	xa_init(&edu->vdevs);

	edu->slots = devm_kcalloc(dev, edu->nr_slots, sizeof(*edu->slots), GFP_KERNEL);
	edu->queued = devm_bitmap_zalloc(dev, edu->nr_slots, GFP_KERNEL);
	if (!edu->slots || !edu->queued)
		return -ENOMEM;
	/* An entry is masked until its interrupt is started */
	for (i = 0; i < edu->nr_slots; i++)
		edu->slots[i].masked = true;

	ret = edu_init_hw(edu);
	if (ret)
		return dev_err_probe(dev, ret, "cannot set up the device\n");

	pci_set_drvdata(pdev, edu);

	if (edu->dma_bits < EDU_MSI_DMA_BITS) {
		edu->ims_status = -EOPNOTSUPP;
		dev_warn(dev, "no IMS: DMA reaches %u address bits, a message address needs %u (QEMU: edu,dma_mask; then dma_bits=)\n",
			 edu->dma_bits, EDU_MSI_DMA_BITS);
	} else {
		edu->ims_status = pci_create_ims_domain(pdev, &edu_ims_template,
							edu->nr_slots);
		if (edu->ims_status)
			dev_warn(dev, "no IMS: %pe\n", ERR_PTR(edu->ims_status));
	}

	/* Runs before the IMS domain goes */
	ret = devm_add_action_or_reset(dev, edu_stop_fire_work, edu);
	if (ret)
		return ret;

	ret = edu_ims_test_init(edu);
	if (ret)
		return ret;

	/* Virtual devices go before everything above when the driver unbinds */
	return edu_siov_init(edu);
}

static const struct pci_device_id edu_ids[] = {
	/* A teaching device: bind only on request, through driver_override */
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name		= EDU_DRV_NAME,
	.id_table	= edu_ids,
	.probe		= edu_probe,
};

static int __init edu_init(void)
{
	int ret;

	/* The virtual devices' driver is there before any parent creates one */
	ret = edu_vdev_driver_register();
	if (ret)
		return ret;

	edu_ims_test_module_init();
	ret = pci_register_driver(&edu_driver);
	if (ret) {
		edu_ims_test_module_exit();
		edu_vdev_driver_unregister();
	}
	return ret;
}
module_init(edu_init);

static void __exit edu_exit(void)
{
	pci_unregister_driver(&edu_driver);
	edu_ims_test_module_exit();
	edu_vdev_driver_unregister();
}
module_exit(edu_exit);

MODULE_DESCRIPTION("edu SIOV reference driver: PCI/IMS parent and virtual devices");
MODULE_LICENSE("GPL");
