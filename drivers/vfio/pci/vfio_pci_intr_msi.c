// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci interrupt backend: MSI of a PCI function.
 *
 * All vectors are allocated when the index is enabled; the virtual MSI
 * capability advertises what was granted (msi_qmax).
 */

#include <linux/pci.h>
#include <linux/slab.h>

#include "vfio_pci_intr_priv.h"

static void vfio_pci_msi_info(struct vfio_pci_intr_ctx *ctx,
			      struct vfio_irq_info *info)
{
	struct pci_dev *pdev = vfio_pci_intr_to_vdev(ctx)->pdev;
	u16 flags;

	info->flags |= VFIO_IRQ_INFO_NORESIZE;
	if (!pdev->msi_cap)
		return;

	pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS, &flags);
	info->count = 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1);
}

static int vfio_pci_msi_enable(struct vfio_pci_intr_ctx *ctx,
			       unsigned int nvec)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);
	int ret;

	ret = vfio_pci_msi_enable_vectors(vdev, nvec, PCI_IRQ_MSI);
	if (ret)
		return ret;

	/* Multiple Message Capable of the virtual capability: log2(nvec) */
	vdev->msi_qmax = fls(nvec * 2 - 1) - 1;
	return 0;
}

static void vfio_pci_msi_disable(struct vfio_pci_intr_ctx *ctx)
{
	vfio_pci_msi_disable_vectors(vfio_pci_intr_to_vdev(ctx));
}

static int vfio_pci_msi_vector_alloc(struct vfio_pci_intr_ctx *ctx,
				     unsigned int vector)
{
	int irq = pci_irq_vector(vfio_pci_intr_to_vdev(ctx)->pdev, vector);

	return WARN_ON_ONCE(irq == 0) ? -EINVAL : irq;
}

static int vfio_pci_msi_vector_request(struct vfio_pci_intr_ctx *ctx,
				       struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);
	int ret;
	u16 cmd;

	cmd = vfio_pci_memory_lock_and_enable(vdev);
	ret = request_irq(vec->irq, vfio_pci_msi_handler, 0, vec->name, vec);
	vfio_pci_memory_unlock_and_restore(vdev, cmd);
	return ret;
}

static char *vfio_pci_msi_name(struct vfio_pci_intr_ctx *ctx,
			       unsigned int vector)
{
	return kasprintf(GFP_KERNEL_ACCOUNT, "vfio-msi[%u](%s)", vector,
			 pci_name(vfio_pci_intr_to_vdev(ctx)->pdev));
}

const struct vfio_pci_intr_ops vfio_pci_msi_ops = {
	.info		= vfio_pci_msi_info,
	.enable		= vfio_pci_msi_enable,
	.disable	= vfio_pci_msi_disable,
	.vector_alloc	= vfio_pci_msi_vector_alloc,
	.vector_request	= vfio_pci_msi_vector_request,
	.vector_release	= vfio_pci_msi_vector_release,
	.name		= vfio_pci_msi_name,
	.irq_bypass	= true,
};
