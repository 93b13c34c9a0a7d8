/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-pci interrupt backends: implementer-only declarations shared by the
 * PCI INTx, MSI and MSI-X backends (vfio_pci_intr_*.c).
 */
#ifndef VFIO_PCI_INTR_PRIV_H
#define VFIO_PCI_INTR_PRIV_H

#include <linux/interrupt.h>
#include <linux/vfio_pci_intr.h>

#include "vfio_pci_priv.h"

extern const struct vfio_pci_intr_ops vfio_pci_intx_ops;
extern const struct vfio_pci_intr_ops vfio_pci_msi_ops;
extern const struct vfio_pci_intr_ops vfio_pci_msix_ops;

static inline struct vfio_pci_core_device *
vfio_pci_intr_to_vdev(struct vfio_pci_intr_ctx *ctx)
{
	return container_of(ctx, struct vfio_pci_core_device, intr);
}

int vfio_pci_msi_enable_vectors(struct vfio_pci_core_device *vdev,
				unsigned int nvec, unsigned int type);
void vfio_pci_msi_disable_vectors(struct vfio_pci_core_device *vdev);
irqreturn_t vfio_pci_msi_handler(int irq, void *arg);
void vfio_pci_msi_vector_release(struct vfio_pci_intr_ctx *ctx,
				 struct vfio_pci_intr_vector *vec);

#endif /* VFIO_PCI_INTR_PRIV_H */
