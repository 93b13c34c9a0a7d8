// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/IMS - Interrupt Message Store
 *
 * A PCI device may store interrupt messages outside its MSI-X table: in an
 * array in device memory, or in queue contexts in system memory, one per
 * queue or per virtual device. PCI/IMS gives such a device a second per
 * device MSI domain (MSI_SECONDARY_DOMAIN) next to its PCI/MSI[-X] domain.
 * The driver provides the irq_chip which writes, masks and unmasks a
 * message in its storage; the parent domain (on x86 an interrupt remapping
 * unit) allocates and composes the message and handles affinity, so the
 * IMS chip never rewrites a message on its own.
 *
 * Whether a device may have an IMS domain is decided by the parent MSI
 * domain, which advertises MSI_FLAG_PCI_IMS in its msi_parent_ops. On x86
 * the vector domain never does, and an interrupt remapping unit does
 * unless irq_remapping_ims_allowed() refuses it.
 *
 * Locking rules:
 *  - Domain creation, interrupt allocation and freeing serialise on the
 *    device's MSI descriptor mutex (taken by the MSI core).
 *  - The driver's chip callbacks run under the interrupt descriptor's raw
 *    spinlock with interrupts disabled; they must not sleep.
 *  - The instance cookie is written once, before the interrupt exists, and
 *    is read-only afterwards: reading it needs no lock.
 */
#include <linux/device.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>
#include <linux/slab.h>

#include "msi.h"

/* The domain flags are owned by the PCI/IMS core, not by the template */
#define PCI_IMS_DOMAIN_FLAGS	(MSI_FLAG_USE_DEF_DOM_OPS |	\
				 MSI_FLAG_USE_DEF_CHIP_OPS |	\
				 MSI_FLAG_FREE_MSI_DESCS |	\
				 MSI_FLAG_PCI_IMS)

static void pci_ims_set_desc(msi_alloc_info_t *arg, struct msi_desc *desc)
{
	arg->desc = desc;
	/* The IMS index is the hardware interrupt number in the IMS domain */
	arg->hwirq = desc->msi_index;
}

static bool pci_ims_template_valid(const struct msi_domain_template *tmpl)
{
	static const struct msi_domain_ops no_ops;
	const struct irq_chip *chip = &tmpl->chip;

	/* The driver owns its message storage ... */
	if (!chip->name || !chip->irq_write_msi_msg || !chip->irq_mask ||
	    !chip->irq_unmask)
		return false;

	/* ... the parent owns composition and affinity ... */
	if (chip->irq_compose_msi_msg || chip->irq_set_affinity)
		return false;

	/* ... and the core owns the domain ops, flags and bus token */
	if (memcmp(&tmpl->ops, &no_ops, sizeof(no_ops)) || tmpl->info.flags)
		return false;

	return tmpl->info.bus_token == DOMAIN_BUS_ANY ||
	       tmpl->info.bus_token == DOMAIN_BUS_PCI_DEVICE_IMS;
}

static bool pci_ims_domain_exists(struct device *dev)
{
	return msi_match_device_irq_domain(dev, MSI_SECONDARY_DOMAIN,
					   DOMAIN_BUS_PCI_DEVICE_IMS);
}

static void pci_ims_remove_domain(void *data)
{
	struct pci_dev *pdev = data;
	struct device *dev = &pdev->dev;
	struct msi_desc *desc;

	scoped_guard(msi_descs_lock, dev) {
		/* The driver must have freed its handlers before */
		msi_domain_for_each_desc(desc, dev, MSI_SECONDARY_DOMAIN, MSI_DESC_ASSOCIATED)
			WARN_ON_ONCE(irq_has_action(desc->irq));
		msi_domain_free_irqs_all_locked(dev, MSI_SECONDARY_DOMAIN);
	}
	msi_remove_device_irq_domain(dev, MSI_SECONDARY_DOMAIN);
}

/**
 * pci_create_ims_domain - Create the PCI/IMS interrupt domain of a device
 * @pdev:	The PCI device whose driver owns the message storage
 * @template:	The driver's template. @template->chip must provide name,
 *		irq_write_msi_msg, irq_mask and irq_unmask for the device's
 *		storage, and neither irq_compose_msi_msg nor irq_set_affinity.
 *		@template->ops and @template->info.flags must be empty and
 *		@template->info.bus_token %DOMAIN_BUS_ANY or
 *		%DOMAIN_BUS_PCI_DEVICE_IMS: the PCI/IMS core fills them in.
 * @hwsize:	The number of entries of the device's storage, or 0 if the
 *		storage is managed by software and has no fixed size
 *
 * The domain is managed: it is removed, together with every IMS interrupt
 * still allocated in it, when the driver unbinds. The driver must have
 * freed its interrupt handlers before that, e.g. with devm_request_irq()
 * after this call, or free_irq() in its remove callback.
 *
 * The interrupt chip's name in /proc/interrupts is the parent's prefix,
 * the template's chip name and the device name, e.g.
 * ``IR-EDU-IMS-0000:00:04.0``; the hardware interrupt number shown is the
 * IMS index.
 *
 * Context: Process context, during the driver's probe. Takes the device's
 * MSI descriptor mutex.
 * Return: 0 on success, -EOPNOTSUPP if the parent interrupt domain does not
 * support PCI/IMS (e.g. on x86 without interrupt remapping, or under a
 * virtual remapping unit not allowed to), -EINVAL for an invalid template
 * or size, -EBUSY if the device has an IMS domain already, -ENOMEM on
 * allocation failure.
 */
int pci_create_ims_domain(struct pci_dev *pdev,
			  const struct msi_domain_template *template,
			  unsigned int hwsize)
{
	struct device *dev = &pdev->dev;
	int ret;

	if (!pci_ims_template_valid(template) || hwsize > MSI_MAX_INDEX + 1)
		return -EINVAL;

	if (!pci_msi_domain_supports(pdev, MSI_FLAG_PCI_IMS, DENY_LEGACY))
		return -EOPNOTSUPP;

	ret = msi_setup_device_data(dev);
	if (ret)
		return ret;

	if (pci_ims_domain_exists(dev))
		return -EBUSY;

	struct msi_domain_template *tmpl __free(kfree) =
		kmemdup(template, sizeof(*tmpl), GFP_KERNEL);
	if (!tmpl)
		return -ENOMEM;

	tmpl->info.flags = PCI_IMS_DOMAIN_FLAGS;
	tmpl->info.bus_token = DOMAIN_BUS_PCI_DEVICE_IMS;
	tmpl->ops.set_desc = pci_ims_set_desc;

	/*
	 * The parent has been asked above, so a failure here is a failed
	 * allocation. The core duplicates the template.
	 */
	if (!msi_create_device_irq_domain(dev, MSI_SECONDARY_DOMAIN, tmpl, hwsize,
					  NULL, NULL))
		return -ENOMEM;

	return devm_add_action_or_reset(dev, pci_ims_remove_domain, pdev);
}
EXPORT_SYMBOL_GPL(pci_create_ims_domain);

/**
 * pci_ims_alloc_irq - Allocate an interrupt in the PCI/IMS domain of a device
 * @pdev:	The PCI device
 * @index:	The IMS index (storage entry) to allocate, or %MSI_ANY_INDEX
 *		for the lowest free one
 * @icookie:	Optional instance cookie, e.g. a PASID or a virtual device
 *		id, stored with the interrupt for the chip callbacks
 *		(pci_ims_irqd_cookie()) and the driver (pci_ims_irq_cookie())
 * @affdesc:	Optional affinity descriptor
 *
 * The interrupt is activated, and its message written into the storage
 * through the chip's irq_write_msi_msg(), when it is requested. It stays
 * masked until then.
 *
 * Context: Process context. Takes the device's MSI descriptor mutex.
 * Return: &struct msi_map: on success @index holds the IMS index and @virq
 * the Linux interrupt number; on failure @index holds a negative error
 * code: -ENODEV if the device has no IMS domain, -EBUSY if @index is in
 * use or no index is free, -ERANGE if @index is beyond the storage size,
 * -ENOMEM or -ENOSPC if the parent runs out of resources.
 */
struct msi_map pci_ims_alloc_irq(struct pci_dev *pdev, unsigned int index,
				 const union msi_instance_cookie *icookie,
				 const struct irq_affinity_desc *affdesc)
{
	union msi_instance_cookie cookie = { };

	if (!pdev->dev.msi.data)
		return (struct msi_map){ .index = -ENODEV };

	if (icookie)
		cookie = *icookie;

	return msi_domain_alloc_irq_at(&pdev->dev, MSI_SECONDARY_DOMAIN, index,
				       affdesc, &cookie);
}
EXPORT_SYMBOL_GPL(pci_ims_alloc_irq);

/**
 * pci_ims_free_irq - Free an interrupt allocated by pci_ims_alloc_irq()
 * @pdev:	The PCI device
 * @map:	The mapping returned by pci_ims_alloc_irq()
 *
 * The interrupt's handler must have been freed. The index is free for a
 * new allocation afterwards.
 *
 * Context: Process context. Takes the device's MSI descriptor mutex.
 */
void pci_ims_free_irq(struct pci_dev *pdev, struct msi_map map)
{
	struct device *dev = &pdev->dev;

	if (WARN_ON_ONCE(map.index < 0 || map.virq <= 0 || !dev->msi.data))
		return;
	if (WARN_ON_ONCE(msi_domain_get_virq(dev, MSI_SECONDARY_DOMAIN, map.index) != map.virq))
		return;

	msi_domain_free_irqs_range(dev, MSI_SECONDARY_DOMAIN, map.index, map.index);
}
EXPORT_SYMBOL_GPL(pci_ims_free_irq);

/**
 * pci_ims_irqd_cookie - The instance cookie of an IMS interrupt
 * @irqd:	The interrupt's irq_data, as handed to the IMS chip callbacks
 *
 * Context: Any context, including the chip callbacks.
 * Return: The cookie given to pci_ims_alloc_irq().
 */
union msi_instance_cookie pci_ims_irqd_cookie(struct irq_data *irqd)
{
	return irq_data_get_msi_desc(irqd)->data.icookie;
}
EXPORT_SYMBOL_GPL(pci_ims_irqd_cookie);

/**
 * pci_ims_irq_cookie - Look up the instance cookie of an IMS interrupt
 * @pdev:	The PCI device
 * @virq:	The Linux interrupt number returned by pci_ims_alloc_irq()
 * @icookie:	Where to store the cookie
 *
 * Context: Process context. Takes the device's MSI descriptor mutex.
 * Return: 0 on success, -ENOENT if @virq is not an IMS interrupt of @pdev.
 */
int pci_ims_irq_cookie(struct pci_dev *pdev, unsigned int virq,
		       union msi_instance_cookie *icookie)
{
	struct msi_desc *desc = irq_get_msi_desc(virq);

	if (!desc || desc->dev != &pdev->dev ||
	    msi_domain_get_virq(&pdev->dev, MSI_SECONDARY_DOMAIN, desc->msi_index) != virq)
		return -ENOENT;

	*icookie = desc->data.icookie;
	return 0;
}
EXPORT_SYMBOL_GPL(pci_ims_irq_cookie);
