// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: VFIO interrupt frontend, IMS backend
 *
 * The MSI-X vectors of a virtual device (a Scalable IOV slice of a parent
 * PCI device) backed by interrupts of the parent's Interrupt Message Store
 * (drivers/pci/msi/ims.c).  The driver embeds a struct vfio_pci_ims in its
 * virtual device, initialises it with vfio_pci_ims_init() and forwards
 * VFIO_DEVICE_GET_IRQ_INFO and VFIO_DEVICE_SET_IRQS to the frontend with
 * &vfio_pci_ims.intr.  The virtual device then has an MSI-X index of nvec
 * vectors and a REQ index; no INTx, no MSI.
 *
 * A vector gets an IMS interrupt of the parent when userspace first gives
 * it an eventfd; the interrupt stays allocated (its IMS entry stays with the
 * virtual device) across eventfd changes and is freed when MSI-X is
 * disabled, like dynamically allocated MSI-X vectors of a PCI function.  It
 * is allocated with the vector's instance cookie, or the device's default
 * (a PASID, a virtual device id), which the IMS irq_chip can read back.
 *
 * Vectors the driver marks emulated (vfio_pci_ims_set_emulated()) get no
 * IMS interrupt: they are signalled by the driver for intercepted-path
 * events, such as an admin command completion.  Both kinds can be masked
 * one by one through VFIO_IRQ_SET_ACTION_MASK/UNMASK; the frontend latches
 * what arrives while masked (vfio_pci_intr_vector_pending()).
 *
 * vfio_pci_ims_send() is the doorbell path: it hands the IMS entry of a
 * vector to the device's send callback, or signals an emulated vector.  An
 * entry is pinned while the callback runs, so a doorbell of one virtual
 * device can only ever reach IMS entries that belong to it.
 *
 * Locking rules:
 *
 * - vfio_pci_ims::intr.lock (the frontend's mutex) serialises vector
 *   allocation and release, index enable and disable, and changes of the
 *   cookies and of the emulated flags.
 * - vfio_pci_ims::lock (spinlock, irq-safe) nests inside it and protects the
 *   IMS mapping of each entry for vfio_pci_ims_send(), which may run in any
 *   context and calls &vfio_pci_ims_ops.send under it.
 * - &vfio_pci_ims_ops.quiesce is called with intr.lock held and may sleep;
 *   it runs before the host interrupt of a vector is freed.
 */

#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>
#include <linux/slab.h>
#include <linux/vfio_pci_intr.h>
#include <kunit/static_stub.h>

/* The MSI-X limit of a PCI function applies to the emulated capability. */
#define VFIO_PCI_IMS_MAX_VECTORS	2048

/**
 * struct vfio_pci_ims_entry - state of one virtual MSI-X vector
 * @map: IMS interrupt backing the vector; @map.virq is 0 while none is
 *	 allocated.  vfio_pci_ims::intr.lock and vfio_pci_ims::lock to
 *	 change, either to read.
 * @cookie: instance cookie given to the IMS chip; intr.lock
 * @has_cookie: @cookie overrides the device's default; intr.lock
 * @emulated: the vector has no IMS interrupt; intr.lock to change (only
 *	      while MSI-X is disabled), read locklessly
 * @live: the vector's host interrupt handler is installed: doorbells are
 *	  sent; intr.lock and vfio_pci_ims::lock to change, either to read
 */
struct vfio_pci_ims_entry {
	struct msi_map			map;
	union msi_instance_cookie	cookie;
	bool				has_cookie;
	bool				emulated;
	bool				live;
};

static struct vfio_pci_ims *vfio_pci_intr_to_ims(struct vfio_pci_intr_ctx *ctx)
{
	return container_of(ctx, struct vfio_pci_ims, intr);
}

/* Parent accessors, replaced by static stubs in the KUnit suite. */
static struct msi_map vfio_pci_ims_alloc_irq(struct vfio_pci_ims *ims,
					     const union msi_instance_cookie *icookie)
{
	KUNIT_STATIC_STUB_REDIRECT(vfio_pci_ims_alloc_irq, ims, icookie);
	return pci_ims_alloc_irq(ims->pdev, MSI_ANY_INDEX, icookie, NULL);
}

static void vfio_pci_ims_free_irq(struct vfio_pci_ims *ims, struct msi_map map)
{
	KUNIT_STATIC_STUB_REDIRECT(vfio_pci_ims_free_irq, ims, map);
	pci_ims_free_irq(ims->pdev, map);
}

static irqreturn_t vfio_pci_ims_handler(int irq, void *arg)
{
	vfio_pci_intr_vector_fire(arg);
	return IRQ_HANDLED;
}

static int vfio_pci_ims_request_irq(struct vfio_pci_intr_vector *vec)
{
	KUNIT_STATIC_STUB_REDIRECT(vfio_pci_ims_request_irq, vec);
	return request_irq(vec->irq, vfio_pci_ims_handler, 0, vec->name, vec);
}

static void vfio_pci_ims_free_host_irq(struct vfio_pci_intr_vector *vec)
{
	KUNIT_STATIC_STUB_REDIRECT(vfio_pci_ims_free_host_irq, vec);
	free_irq(vec->irq, vec);
}

/* Backend operations of the MSI-X index */
static void vfio_pci_ims_info(struct vfio_pci_intr_ctx *ctx,
			      struct vfio_irq_info *info)
{
	info->count = vfio_pci_intr_to_ims(ctx)->nvec;
}

static int vfio_pci_ims_enable(struct vfio_pci_intr_ctx *ctx, unsigned int nvec)
{
	struct vfio_pci_ims *ims = vfio_pci_intr_to_ims(ctx);

	lockdep_assert_held(&ctx->lock);

	if (!nvec)
		return -EINVAL;
	/* The frontend validated the range against info(): cannot happen. */
	if (WARN_ON_ONCE(nvec > ims->nvec))
		return ims->nvec;
	return 0;
}

/* Every vector's host interrupt is released: give the IMS entries back. */
static void vfio_pci_ims_disable(struct vfio_pci_intr_ctx *ctx)
{
	struct vfio_pci_ims *ims = vfio_pci_intr_to_ims(ctx);
	unsigned int i;

	lockdep_assert_held(&ctx->lock);

	for (i = 0; i < ims->nvec; i++) {
		struct vfio_pci_ims_entry *entry = &ims->entries[i];
		struct msi_map map = entry->map;

		if (!map.virq)
			continue;
		scoped_guard(spinlock_irqsave, &ims->lock)
			entry->map = (struct msi_map){ };
		vfio_pci_ims_free_irq(ims, map);
	}
}

static int vfio_pci_ims_vector_alloc(struct vfio_pci_intr_ctx *ctx,
				     unsigned int vector)
{
	struct vfio_pci_ims *ims = vfio_pci_intr_to_ims(ctx);
	struct vfio_pci_ims_entry *entry;
	struct msi_map map;

	lockdep_assert_held(&ctx->lock);

	if (vector >= ims->nvec)
		return -EINVAL;
	entry = &ims->entries[vector];
	if (entry->emulated)
		return 0;
	if (entry->map.virq)
		return entry->map.virq;

	map = vfio_pci_ims_alloc_irq(ims, entry->has_cookie ?
				     &entry->cookie : &ims->default_cookie);
	if (map.index < 0)
		return map.index;
	if (WARN_ON_ONCE(map.virq <= 0)) {
		vfio_pci_ims_free_irq(ims, map);
		return -EIO;
	}

	scoped_guard(spinlock_irqsave, &ims->lock)
		entry->map = map;
	return map.virq;
}

static int vfio_pci_ims_vector_request(struct vfio_pci_intr_ctx *ctx,
				       struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_ims *ims = vfio_pci_intr_to_ims(ctx);
	int ret;

	lockdep_assert_held(&ctx->lock);

	ret = vfio_pci_ims_request_irq(vec);
	if (ret)
		return ret;

	scoped_guard(spinlock_irqsave, &ims->lock)
		ims->entries[vec->vector].live = true;
	return 0;
}

static void vfio_pci_ims_vector_release(struct vfio_pci_intr_ctx *ctx,
					struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_ims *ims = vfio_pci_intr_to_ims(ctx);

	lockdep_assert_held(&ctx->lock);

	/* No doorbell reaches the entry from now on ... */
	scoped_guard(spinlock_irqsave, &ims->lock)
		ims->entries[vec->vector].live = false;
	/* ... and none is in flight once the device is quiesced. */
	if (ims->ops->quiesce)
		ims->ops->quiesce(ims, vec->vector, ims->entries[vec->vector].map);
	vfio_pci_ims_free_host_irq(vec);
}

static char *vfio_pci_ims_name(struct vfio_pci_intr_ctx *ctx,
			       unsigned int vector)
{
	struct vfio_pci_ims *ims = vfio_pci_intr_to_ims(ctx);

	return kasprintf(GFP_KERNEL_ACCOUNT, "vfio-%s-msix[%u](%s)",
			 ims->entries[vector].emulated ? "emul" : "ims",
			 vector, ims->name);
}

static const struct vfio_pci_intr_ops vfio_pci_ims_msix_ops = {
	.info		= vfio_pci_ims_info,
	.enable		= vfio_pci_ims_enable,
	.disable	= vfio_pci_ims_disable,
	.vector_alloc	= vfio_pci_ims_vector_alloc,
	.vector_request	= vfio_pci_ims_vector_request,
	.vector_release	= vfio_pci_ims_vector_release,
	.name		= vfio_pci_ims_name,
	.irq_bypass	= true,
	.maskable	= true,
};

static unsigned int vfio_pci_ims_count(struct vfio_pci_intr_ctx *ctx,
				       enum vfio_pci_irq_index index)
{
	return index == VFIO_PCI_IRQ_MSIX ? vfio_pci_intr_to_ims(ctx)->nvec : 0;
}

static const struct vfio_pci_intr_backend vfio_pci_ims_backend = {
	.ops = {
		[VFIO_PCI_IRQ_MSIX] = &vfio_pci_ims_msix_ops,
	},
	.req	= true,
	.count	= vfio_pci_ims_count,
};

/**
 * vfio_pci_ims_init() - set up the IMS-backed MSI-X of a virtual device
 * @ims: embedded in the driver's virtual device structure
 * @pdev: the parent PCI device, with an IMS domain
 * @name: name of the virtual device, for its host interrupts; must outlive
 *	  @ims
 * @nvec: number of MSI-X vectors, 1 to 2048
 * @ops: device callbacks, which must outlive @ims
 *
 * Every vector is IMS-backed, with an instance cookie of 0, until the
 * driver says otherwise.  Tear down with vfio_pci_ims_destroy().
 *
 * Context: process context.
 * Return: 0, -EINVAL for a bad @nvec, -ENOMEM.
 */
int vfio_pci_ims_init(struct vfio_pci_ims *ims, struct pci_dev *pdev,
		      const char *name, unsigned int nvec,
		      const struct vfio_pci_ims_ops *ops)
{
	if (!nvec || nvec > VFIO_PCI_IMS_MAX_VECTORS)
		return -EINVAL;

	ims->entries = kcalloc(nvec, sizeof(*ims->entries), GFP_KERNEL_ACCOUNT);
	if (!ims->entries)
		return -ENOMEM;

	ims->pdev = pdev;
	ims->name = name;
	ims->nvec = nvec;
	ims->ops = ops;
	ims->default_cookie = (union msi_instance_cookie){ };
	spin_lock_init(&ims->lock);
	vfio_pci_intr_ctx_init(&ims->intr, &vfio_pci_ims_backend);
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_pci_ims_init);

/**
 * vfio_pci_ims_destroy() - tear down what vfio_pci_ims_init() set up
 * @ims: with MSI-X disabled (vfio_pci_intr_disable_all() on close)
 *
 * Context: process context.
 */
void vfio_pci_ims_destroy(struct vfio_pci_ims *ims)
{
	unsigned int i;

	vfio_pci_intr_ctx_destroy(&ims->intr);
	for (i = 0; i < ims->nvec; i++)
		WARN_ON(ims->entries[i].map.virq);
	kfree(ims->entries);
	ims->entries = NULL;
}
EXPORT_SYMBOL_GPL(vfio_pci_ims_destroy);

/**
 * vfio_pci_ims_set_default_cookie() - set the device's instance cookie
 * @ims: the virtual device's IMS state
 * @icookie: cookie for vectors without their own
 *
 * Takes effect for IMS interrupts allocated from now on.
 *
 * Context: process context.
 */
void vfio_pci_ims_set_default_cookie(struct vfio_pci_ims *ims,
				     const union msi_instance_cookie *icookie)
{
	guard(mutex)(&ims->intr.lock);
	ims->default_cookie = *icookie;
}
EXPORT_SYMBOL_GPL(vfio_pci_ims_set_default_cookie);

/**
 * vfio_pci_ims_set_cookie() - set the instance cookie of one vector
 * @ims: the virtual device's IMS state
 * @vector: MSI-X vector
 * @icookie: its cookie, or NULL to use the device's default again
 *
 * Takes effect when the vector's IMS interrupt is next allocated.
 *
 * Context: process context.
 * Return: 0, or -EINVAL if @vector is out of range.
 */
int vfio_pci_ims_set_cookie(struct vfio_pci_ims *ims, unsigned int vector,
			    const union msi_instance_cookie *icookie)
{
	struct vfio_pci_ims_entry *entry;

	if (vector >= ims->nvec)
		return -EINVAL;

	guard(mutex)(&ims->intr.lock);
	entry = &ims->entries[vector];
	entry->has_cookie = icookie;
	entry->cookie = icookie ? *icookie : (union msi_instance_cookie){ };
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_pci_ims_set_cookie);

/**
 * vfio_pci_ims_set_emulated() - make a vector emulated or IMS-backed
 * @ims: the virtual device's IMS state
 * @vector: MSI-X vector
 * @emulated: the driver signals the vector itself (vfio_pci_ims_send() or
 *	      vfio_pci_intr_signal()); it gets no IMS interrupt
 *
 * Context: process context.
 * Return: 0, -EINVAL if @vector is out of range, -EBUSY while MSI-X is
 * enabled.
 */
int vfio_pci_ims_set_emulated(struct vfio_pci_ims *ims, unsigned int vector,
			      bool emulated)
{
	if (vector >= ims->nvec)
		return -EINVAL;

	guard(mutex)(&ims->intr.lock);
	if (ims->intr.active != VFIO_PCI_IRQ_NONE)
		return -EBUSY;
	WRITE_ONCE(ims->entries[vector].emulated, emulated);
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_pci_ims_set_emulated);

/**
 * vfio_pci_ims_send() - make the device send the message of a vector
 * @ims: the virtual device's IMS state
 * @vector: MSI-X vector
 *
 * The doorbell of a virtual device: for an IMS-backed vector with an
 * eventfd, calls &vfio_pci_ims_ops.send with the vector's IMS entry, which
 * cannot be freed or reassigned until the callback returns; the interrupt
 * arrives through the IMS chip.  An emulated vector is signalled at once.
 * Either way a masked vector latches the interrupt as pending.
 *
 * Context: any; &vfio_pci_ims_ops.send runs under a spinlock.
 * Return: 0 or the callback's result; -EINVAL if @vector is out of range,
 * -ENOENT if it has no eventfd, -EOPNOTSUPP without a send callback.
 */
int vfio_pci_ims_send(struct vfio_pci_ims *ims, unsigned int vector)
{
	struct vfio_pci_ims_entry *entry;

	if (vector >= ims->nvec)
		return -EINVAL;

	entry = &ims->entries[vector];
	if (READ_ONCE(entry->emulated))
		return vfio_pci_intr_signal(&ims->intr, vector);
	if (!ims->ops->send)
		return -EOPNOTSUPP;

	guard(spinlock_irqsave)(&ims->lock);
	if (!entry->live)
		return -ENOENT;
	return ims->ops->send(ims, vector, entry->map);
}
EXPORT_SYMBOL_GPL(vfio_pci_ims_send);

#if IS_ENABLED(CONFIG_VFIO_PCI_INTR_KUNIT_TEST)
#include "vfio_pci_intr_ims_kunit.c"
#endif
