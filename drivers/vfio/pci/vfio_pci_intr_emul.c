// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: VFIO interrupt frontend, emulated backend
 *
 * Ready-made backend operations for interrupt indexes whose vectors have no
 * host interrupt: the device is emulated (an mdev such as mtty) or the
 * interrupt source is an intercepted path of a virtual device (an admin
 * command completion of a SIOV slice).  The driver plugs
 * vfio_pci_intr_emul_intx_ops, vfio_pci_intr_emul_msi_ops or
 * vfio_pci_intr_emul_msix_ops into its struct vfio_pci_intr_backend, gives
 * the backend a count() callback, and calls vfio_pci_intr_signal() when its
 * device model raises an interrupt.  The frontend then provides
 * GET_IRQ_INFO, SET_IRQS (eventfd triggers, DATA_NONE/BOOL loopback), INTx
 * automask with a pending latch, MASK/UNMASK and the INTx unmask eventfd.
 *
 * Vector counts come from the driver through
 * struct vfio_pci_intr_backend.count, so they may depend on the device
 * instance (a type attribute, a module parameter) and may change while the
 * device is open; a vector is accepted if it is below the count at the time
 * it is given an eventfd.
 *
 * INTx is one level-triggered vector: signalling it masks it (AUTOMASKED),
 * a second interrupt while masked is latched and delivered once at unmask.
 * MSI and MSI-X vectors are edge-triggered.  MSI reports NORESIZE like a PCI
 * function; MSI-X does not, vectors can be added while the index is
 * enabled since nothing has to be allocated on the host.
 *
 * Mixing host and emulated vectors in one index (e.g. a SIOV device whose
 * MSI-X vectors are IMS interrupts except vector 0, an emulated admin
 * completion) needs no support from this file: the frontend decides per
 * vector on the value vector_alloc returns.  The mixing backend (the IMS
 * backend) returns 0 from vector_alloc for the vectors the driver emulates
 * and a host interrupt for the others; the frontend never calls
 * vector_request/vector_release for the emulated ones and
 * vfio_pci_intr_signal() accepts only those.
 *
 * Locking rules: the operations keep no state of their own.  count() is
 * called with and without ctx->lock held; the frontend's rules apply to
 * everything else (see vfio_pci_intrs.c).
 */

#include <linux/slab.h>
#include <linux/vfio_pci_intr.h>

static const char * const vfio_pci_intr_emul_names[] = {
	[VFIO_PCI_IRQ_INTX]	= "intx",
	[VFIO_PCI_IRQ_MSI]	= "msi",
	[VFIO_PCI_IRQ_MSIX]	= "msix",
};

/* Extra VFIO_IRQ_INFO_* flags of each index beyond EVENTFD. */
static const u32 vfio_pci_intr_emul_flags[] = {
	[VFIO_PCI_IRQ_INTX]	= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED,
	[VFIO_PCI_IRQ_MSI]	= VFIO_IRQ_INFO_NORESIZE,
	[VFIO_PCI_IRQ_MSIX]	= 0,
};

static unsigned int vfio_pci_intr_emul_count(struct vfio_pci_intr_ctx *ctx,
					     enum vfio_pci_irq_index index)
{
	const struct vfio_pci_intr_backend *backend = ctx->backend;

	if (WARN_ON_ONCE(!backend->count))
		return 0;
	return backend->count(ctx, index);
}

static void vfio_pci_intr_emul_info(struct vfio_pci_intr_ctx *ctx,
				    struct vfio_irq_info *info)
{
	enum vfio_pci_irq_index index = info->index;

	info->count = vfio_pci_intr_emul_count(ctx, index);
	if (index == VFIO_PCI_IRQ_INTX)
		info->count = min(info->count, 1U);
	info->flags |= vfio_pci_intr_emul_flags[index];
}

static int vfio_pci_intr_emul_enable(struct vfio_pci_intr_ctx *ctx,
				     enum vfio_pci_irq_index index,
				     unsigned int nvec)
{
	unsigned int count = vfio_pci_intr_emul_count(ctx, index);

	lockdep_assert_held(&ctx->lock);

	if (!nvec || !count)
		return -EINVAL;
	/* The count may have shrunk since validation: offer what is left. */
	if (nvec > count)
		return count;
	return 0;
}

static int vfio_pci_intr_emul_intx_enable(struct vfio_pci_intr_ctx *ctx,
					  unsigned int nvec)
{
	return vfio_pci_intr_emul_enable(ctx, VFIO_PCI_IRQ_INTX, nvec);
}

static int vfio_pci_intr_emul_msi_enable(struct vfio_pci_intr_ctx *ctx,
					 unsigned int nvec)
{
	return vfio_pci_intr_emul_enable(ctx, VFIO_PCI_IRQ_MSI, nvec);
}

static int vfio_pci_intr_emul_msix_enable(struct vfio_pci_intr_ctx *ctx,
					  unsigned int nvec)
{
	return vfio_pci_intr_emul_enable(ctx, VFIO_PCI_IRQ_MSIX, nvec);
}

/* Nothing was allocated at enable time. */
static void vfio_pci_intr_emul_disable(struct vfio_pci_intr_ctx *ctx)
{
	lockdep_assert_held(&ctx->lock);
}

/*
 * Every vector below the current count exists; 0 tells the frontend that
 * it has no host interrupt.  The frontend calls this with ctx->active set
 * to the index being set up.
 */
static int vfio_pci_intr_emul_vector_alloc(struct vfio_pci_intr_ctx *ctx,
					   unsigned int vector)
{
	lockdep_assert_held(&ctx->lock);

	if (vector >= vfio_pci_intr_emul_count(ctx, ctx->active))
		return -EINVAL;
	return 0;
}

static char *vfio_pci_intr_emul_name(struct vfio_pci_intr_ctx *ctx,
				     unsigned int vector)
{
	enum vfio_pci_irq_index index = ctx->active;

	if (WARN_ON_ONCE(index >= ARRAY_SIZE(vfio_pci_intr_emul_names)))
		return NULL;
	return kasprintf(GFP_KERNEL_ACCOUNT, "vfio-emul-%s[%u]",
			 vfio_pci_intr_emul_names[index], vector);
}

/*
 * Emulated INTx: one automasked vector, reported if the backend's count()
 * is non-zero for VFIO_PCI_IRQ_INTX; MASKABLE, AUTOMASKED.
 */
const struct vfio_pci_intr_ops vfio_pci_intr_emul_intx_ops = {
	.info		= vfio_pci_intr_emul_info,
	.enable		= vfio_pci_intr_emul_intx_enable,
	.disable	= vfio_pci_intr_emul_disable,
	.vector_alloc	= vfio_pci_intr_emul_vector_alloc,
	.name		= vfio_pci_intr_emul_name,
	.automask	= true,
};
EXPORT_SYMBOL_GPL(vfio_pci_intr_emul_intx_ops);

/* Emulated MSI: count() vectors, NORESIZE. */
const struct vfio_pci_intr_ops vfio_pci_intr_emul_msi_ops = {
	.info		= vfio_pci_intr_emul_info,
	.enable		= vfio_pci_intr_emul_msi_enable,
	.disable	= vfio_pci_intr_emul_disable,
	.vector_alloc	= vfio_pci_intr_emul_vector_alloc,
	.name		= vfio_pci_intr_emul_name,
};
EXPORT_SYMBOL_GPL(vfio_pci_intr_emul_msi_ops);

/* Emulated MSI-X: count() vectors; vectors may be added while enabled. */
const struct vfio_pci_intr_ops vfio_pci_intr_emul_msix_ops = {
	.info		= vfio_pci_intr_emul_info,
	.enable		= vfio_pci_intr_emul_msix_enable,
	.disable	= vfio_pci_intr_emul_disable,
	.vector_alloc	= vfio_pci_intr_emul_vector_alloc,
	.name		= vfio_pci_intr_emul_name,
};
EXPORT_SYMBOL_GPL(vfio_pci_intr_emul_msix_ops);
