// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci interrupt backend: MSI-X of a PCI function.
 *
 * Enabling allocates the vectors up to the highest one requested.  When the
 * MSI domain supports it (pci_msix_can_alloc_dyn()), a vector set later is
 * allocated on demand with pci_msix_alloc_irq_at() and the index reports no
 * NORESIZE flag.  Vectors stay allocated, a cache for later requests, until
 * the index is disabled.
 */

#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "vfio_pci_intr_priv.h"

static void vfio_pci_msix_info(struct vfio_pci_intr_ctx *ctx,
			       struct vfio_irq_info *info)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);
	struct pci_dev *pdev = vdev->pdev;
	u16 flags;

	if (!vdev->has_dyn_msix)
		info->flags |= VFIO_IRQ_INFO_NORESIZE;
	if (!pdev->msix_cap)
		return;

	pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &flags);
	info->count = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
}

static int vfio_pci_msix_enable(struct vfio_pci_intr_ctx *ctx,
				unsigned int nvec)
{
	return vfio_pci_msi_enable_vectors(vfio_pci_intr_to_vdev(ctx), nvec,
					   PCI_IRQ_MSIX);
}

static void vfio_pci_msix_disable(struct vfio_pci_intr_ctx *ctx)
{
	vfio_pci_msi_disable_vectors(vfio_pci_intr_to_vdev(ctx));
}

static int vfio_pci_msix_vector_alloc(struct vfio_pci_intr_ctx *ctx,
				      unsigned int vector)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);
	struct msi_map map;
	int irq;
	u16 cmd;

	irq = pci_irq_vector(vdev->pdev, vector);
	if (WARN_ON_ONCE(irq == 0))
		return -EINVAL;
	if (irq > 0 || !vdev->has_dyn_msix)
		return irq;

	cmd = vfio_pci_memory_lock_and_enable(vdev);
	map = pci_msix_alloc_irq_at(vdev->pdev, vector, NULL);
	vfio_pci_memory_unlock_and_restore(vdev, cmd);

	return map.index < 0 ? map.index : map.virq;
}

static int vfio_pci_msix_vector_request(struct vfio_pci_intr_ctx *ctx,
					struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);
	struct msi_msg msg;
	int ret;
	u16 cmd;

	cmd = vfio_pci_memory_lock_and_enable(vdev);
	/*
	 * The vector may have been programmed before, and the table entry
	 * lost since (e.g. a reset behind our back): rewrite the message.
	 */
	get_cached_msi_msg(vec->irq, &msg);
	pci_write_msi_msg(vec->irq, &msg);
	ret = request_irq(vec->irq, vfio_pci_msi_handler, 0, vec->name, vec);
	vfio_pci_memory_unlock_and_restore(vdev, cmd);
	return ret;
}

static char *vfio_pci_msix_name(struct vfio_pci_intr_ctx *ctx,
				unsigned int vector)
{
	return kasprintf(GFP_KERNEL_ACCOUNT, "vfio-msix[%u](%s)", vector,
			 pci_name(vfio_pci_intr_to_vdev(ctx)->pdev));
}

const struct vfio_pci_intr_ops vfio_pci_msix_ops = {
	.info		= vfio_pci_msix_info,
	.enable		= vfio_pci_msix_enable,
	.disable	= vfio_pci_msix_disable,
	.vector_alloc	= vfio_pci_msix_vector_alloc,
	.vector_request	= vfio_pci_msix_vector_request,
	.vector_release	= vfio_pci_msi_vector_release,
	.name		= vfio_pci_msix_name,
	.irq_bypass	= true,
};
