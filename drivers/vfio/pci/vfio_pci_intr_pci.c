// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci interrupt backend of a PCI function: the per-index operations
 * table, and the MSI/MSI-X vector management shared by both message
 * signalled backends.
 *
 * MSI and MSI-X table and capability accesses need memory decode enabled, so
 * vector allocation, freeing and handler (re)installation run under
 * vfio_pci_memory_lock_and_enable().
 */

#include <linux/eventfd.h>
#include <linux/pci.h>

#include "vfio_pci_intr_priv.h"

/**
 * vfio_pci_msi_enable_vectors() - allocate MSI or MSI-X vectors
 * @vdev: vfio-pci device
 * @nvec: vectors wanted
 * @type: PCI_IRQ_MSI or PCI_IRQ_MSIX
 *
 * Context: process context, the interrupt context lock held.
 * Return: 0 once @nvec vectors are allocated; otherwise nothing stays
 * allocated and the return is the number of vectors the device can grant
 * (positive, less than @nvec) or a negative errno.
 */
int vfio_pci_msi_enable_vectors(struct vfio_pci_core_device *vdev,
				unsigned int nvec, unsigned int type)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret;
	u16 cmd;

	cmd = vfio_pci_memory_lock_and_enable(vdev);
	ret = pci_alloc_irq_vectors(pdev, 1, nvec, type);
	if (ret > 0 && ret < nvec)
		pci_free_irq_vectors(pdev);
	vfio_pci_memory_unlock_and_restore(vdev, cmd);

	return ret < (int)nvec ? ret : 0;
}

/**
 * vfio_pci_msi_disable_vectors() - free every MSI or MSI-X vector
 * @vdev: vfio-pci device
 *
 * Context: process context, the interrupt context lock held.
 */
void vfio_pci_msi_disable_vectors(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u16 cmd;

	cmd = vfio_pci_memory_lock_and_enable(vdev);
	pci_free_irq_vectors(pdev);
	vfio_pci_memory_unlock_and_restore(vdev, cmd);

	/*
	 * Disabling MSI or MSI-X clears DisINTx (pci_intx_for_msi()); a
	 * device whose INTx is hidden keeps it set.
	 */
	if (vdev->nointx)
		pci_intx(pdev, 0);
}

/**
 * vfio_pci_msi_handler() - host handler of an MSI or MSI-X vector
 * @irq: host interrupt
 * @arg: the struct vfio_pci_intr_vector
 *
 * Context: hard interrupt.
 * Return: IRQ_HANDLED.
 */
irqreturn_t vfio_pci_msi_handler(int irq, void *arg)
{
	struct vfio_pci_intr_vector *vec = arg;

	/*
	 * vfio_pci_intr_vector_signal() without its INTx gate and NULL test:
	 * the hot path of a passed-through device, as short as upstream's.
	 * An MSI or MSI-X vector gets its trigger before its interrupt is
	 * requested and keeps it until after free_irq() (the frontend's
	 * Locking rules), so the trigger is there whenever this runs.
	 */
	eventfd_signal(vec->trigger);
	return IRQ_HANDLED;
}

/**
 * vfio_pci_msi_vector_release() - free the host handler of a vector
 * @ctx: interrupt context
 * @vec: vector
 *
 * The vector itself stays allocated until the index is disabled.
 *
 * Context: process context, @ctx->lock held.
 */
void vfio_pci_msi_vector_release(struct vfio_pci_intr_ctx *ctx,
				 struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);
	u16 cmd;

	cmd = vfio_pci_memory_lock_and_enable(vdev);
	free_irq(vec->irq, vec);
	vfio_pci_memory_unlock_and_restore(vdev, cmd);
}

/* The interrupt backend of every vfio-pci-core device. */
const struct vfio_pci_intr_backend vfio_pci_intr_pci_backend = {
	.ops = {
		[VFIO_PCI_IRQ_INTX]	= &vfio_pci_intx_ops,
		[VFIO_PCI_IRQ_MSI]	= &vfio_pci_msi_ops,
		[VFIO_PCI_IRQ_MSIX]	= &vfio_pci_msix_ops,
	},
	.err = true,
	.req = true,
};
