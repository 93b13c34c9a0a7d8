// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci interrupt backend: INTx of a PCI function.
 *
 * INTx is level triggered and automasked: the host handler masks the line
 * before signalling userspace, which unmasks it once serviced.  Devices that
 * support DisINTx (PCI 2.3 masking, vdev->pci_2_3) are masked through the
 * command register and may share their line.  Others (no DisINTx support, or
 * the nointxmask module parameter) need an exclusive interrupt, masked at the
 * interrupt controller; IRQ_DISABLE_UNLAZY makes that mask immediate.
 *
 * The masked state lives in the frontend vector and is protected by
 * ctx->irqlock, which the handler takes as well.
 */

#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "vfio_pci_intr_priv.h"

static void vfio_pci_intx_info(struct vfio_pci_intr_ctx *ctx,
			       struct vfio_irq_info *info)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);

	info->count = vdev->vconfig[PCI_INTERRUPT_PIN] ? 1 : 0;
	info->flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
}

static int vfio_pci_intx_enable(struct vfio_pci_intr_ctx *ctx,
				unsigned int nvec)
{
	struct pci_dev *pdev = vfio_pci_intr_to_vdev(ctx)->pdev;

	if (!pdev->irq || pdev->irq == IRQ_NOTCONNECTED)
		return -ENODEV;
	return 0;
}

static void vfio_pci_intx_disable(struct vfio_pci_intr_ctx *ctx)
{
}

static int vfio_pci_intx_vector_alloc(struct vfio_pci_intr_ctx *ctx,
				      unsigned int vector)
{
	return vfio_pci_intr_to_vdev(ctx)->pdev->irq;
}

static irqreturn_t vfio_pci_intx_handler(int irq, void *dev_id)
{
	struct vfio_pci_intr_vector *vec = dev_id;
	struct vfio_pci_intr_ctx *ctx = vec->ctx;
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);
	irqreturn_t ret = IRQ_NONE;

	scoped_guard(spinlock_irqsave, &ctx->irqlock) {
		if (!vdev->pci_2_3) {
			disable_irq_nosync(irq);
			vec->masked = true;
			ret = IRQ_HANDLED;
		} else if (!vec->masked &&	/* the line may be shared */
			   pci_check_and_mask_intx(vdev->pdev)) {
			vec->masked = true;
			ret = IRQ_HANDLED;
		}
	}

	if (ret == IRQ_HANDLED)
		vfio_pci_intr_vector_signal(vec);
	return ret;
}

static int vfio_pci_intx_vector_request(struct vfio_pci_intr_ctx *ctx,
					struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);
	unsigned long irqflags;
	int ret;

	/*
	 * vec->masked starts as the virtual DisINTx bit.  With DisINTx
	 * support the physical bit follows it; otherwise a masked line is
	 * requested disabled.  The handler is not installed yet, so masked is
	 * stable here.
	 */
	if (vdev->pci_2_3) {
		pci_intx(vdev->pdev, !vec->masked);
		irqflags = IRQF_SHARED;
	} else {
		irqflags = vec->masked ? IRQF_NO_AUTOEN : 0;
		irq_set_status_flags(vec->irq, IRQ_DISABLE_UNLAZY);
	}

	ret = request_irq(vec->irq, vfio_pci_intx_handler, irqflags, vec->name,
			  vec);
	if (ret && !vdev->pci_2_3)
		irq_clear_status_flags(vec->irq, IRQ_DISABLE_UNLAZY);
	return ret;
}

static void vfio_pci_intx_vector_release(struct vfio_pci_intr_ctx *ctx,
					 struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);

	free_irq(vec->irq, vec);
	if (!vdev->pci_2_3)
		irq_clear_status_flags(vec->irq, IRQ_DISABLE_UNLAZY);
}

/*
 * With @vec NULL (INTx not enabled) a DisINTx-capable device has its
 * physical bit follow the virtual one.
 */
static void vfio_pci_intx_mask(struct vfio_pci_intr_ctx *ctx,
			       struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);

	if (vdev->pci_2_3)
		pci_intx(vdev->pdev, 0);
	else if (vec)
		disable_irq_nosync(vec->irq);
}

static int vfio_pci_intx_unmask(struct vfio_pci_intr_ctx *ctx,
				struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_core_device *vdev = vfio_pci_intr_to_vdev(ctx);

	if (!vec) {
		if (vdev->pci_2_3)
			pci_intx(vdev->pdev, 1);
		return 0;
	}

	/*
	 * An interrupt pending at unmask would fire at once; leave the line
	 * masked and let the frontend resignal it instead.
	 */
	if (vdev->pci_2_3)
		return pci_check_and_unmask_intx(vdev->pdev) ? 0 : 1;

	enable_irq(vec->irq);
	return 0;
}

static char *vfio_pci_intx_name(struct vfio_pci_intr_ctx *ctx,
				unsigned int vector)
{
	return kasprintf(GFP_KERNEL_ACCOUNT, "vfio-intx(%s)",
			 pci_name(vfio_pci_intr_to_vdev(ctx)->pdev));
}

const struct vfio_pci_intr_ops vfio_pci_intx_ops = {
	.info		= vfio_pci_intx_info,
	.enable		= vfio_pci_intx_enable,
	.disable	= vfio_pci_intx_disable,
	.vector_alloc	= vfio_pci_intx_vector_alloc,
	.vector_request	= vfio_pci_intx_vector_request,
	.vector_release	= vfio_pci_intx_vector_release,
	.mask		= vfio_pci_intx_mask,
	.unmask		= vfio_pci_intx_unmask,
	.name		= vfio_pci_intx_name,
	.automask	= true,
};
