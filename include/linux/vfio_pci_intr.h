/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VFIO interrupt frontend: VFIO_DEVICE_GET_IRQ_INFO and VFIO_DEVICE_SET_IRQS
 * for PCI-like VFIO devices, on top of vector-level backend operations.
 *
 * A driver embeds a struct vfio_pci_intr_ctx in its device structure,
 * initialises it with a table of backend operations and forwards the two
 * ioctls to the frontend.  The frontend owns the uAPI semantics; a backend
 * only knows how to enable an interrupt index, how to attach a host
 * interrupt to one vector and how to mask it.  Backends reach their device
 * with container_of() on the context.
 */
#ifndef LINUX_VFIO_PCI_INTR_H
#define LINUX_VFIO_PCI_INTR_H

#include <linux/irqbypass.h>
#include <linux/msi_api.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <linux/xarray.h>

struct eventfd_ctx;
struct virqfd;
struct vfio_pci_intr_ctx;

/**
 * enum vfio_pci_irq_index - interrupt indexes of a VFIO PCI device
 * @VFIO_PCI_IRQ_INTX: legacy INTx, one level-triggered, automasked vector
 * @VFIO_PCI_IRQ_MSI: MSI vectors
 * @VFIO_PCI_IRQ_MSIX: MSI-X vectors
 * @VFIO_PCI_IRQ_ERR: error (AER) notification, frontend only
 * @VFIO_PCI_IRQ_REQ: device request notification, frontend only
 * @VFIO_PCI_IRQ_NR: number of indexes
 * @VFIO_PCI_IRQ_NONE: no vector index is enabled
 *
 * The values are those of the VFIO_PCI_*_IRQ_INDEX uAPI constants.
 * Only INTx, MSI and MSI-X carry vectors and have backend operations;
 * at most one of them is enabled at a time.
 */
enum vfio_pci_irq_index {
	VFIO_PCI_IRQ_INTX = VFIO_PCI_INTX_IRQ_INDEX,
	VFIO_PCI_IRQ_MSI = VFIO_PCI_MSI_IRQ_INDEX,
	VFIO_PCI_IRQ_MSIX = VFIO_PCI_MSIX_IRQ_INDEX,
	VFIO_PCI_IRQ_ERR = VFIO_PCI_ERR_IRQ_INDEX,
	VFIO_PCI_IRQ_REQ = VFIO_PCI_REQ_IRQ_INDEX,
	VFIO_PCI_IRQ_NR = VFIO_PCI_NUM_IRQS,
	VFIO_PCI_IRQ_NONE = VFIO_PCI_IRQ_NR,
};

/* Number of indexes that carry vectors: INTx, MSI and MSI-X. */
#define VFIO_PCI_IRQ_NR_VECTOR_INDEXES	(VFIO_PCI_IRQ_MSIX + 1)

/**
 * struct vfio_pci_intr_vector - one enabled vector of the active index
 * @ctx: owning context; constant
 * @vector: vector number within the index; constant
 * @irq: host Linux interrupt, or 0 for a vector the driver signals itself
 *	 (emulated); set before the vector is published, then constant
 * @trigger: eventfd signalled when the vector fires, may be NULL for INTx;
 *	     written under @ctx->lock, read with READ_ONCE() by handlers
 * @unmask: virqfd unmasking the vector when signalled; @ctx->lock
 * @unmask_used: @unmask was set up at some point, so releasing the vector
 *		 waits for its shutdown; @ctx->lock
 * @name: name of the host interrupt; constant once published
 * @masked: the vector is masked; written under @ctx->irqlock, read with
 *	    READ_ONCE() by vfio_pci_intr_vector_fire() on an edge index
 * @pending: the vector fired while masked; @ctx->irqlock
 * @edge: the index is not automasked (&vfio_pci_intr_ops.automask); set
 *	  before the vector is published, then constant
 * @producer: irqbypass producer for @trigger; @ctx->lock
 * @rcu: deferred free, for the lookups of @ctx->vectors under RCU (such as
 *	 vfio_pci_intr_vector_pending())
 *
 * Vectors live in @ctx->vectors, indexed by @vector, from the moment they
 * are fully set up until they are released.
 */
struct vfio_pci_intr_vector {
	struct vfio_pci_intr_ctx	*ctx;
	unsigned int			vector;
	int				irq;
	struct eventfd_ctx		*trigger;
	struct virqfd			*unmask;
	char				*name;
	bool				masked;
	bool				pending;
	bool				edge;
	bool				unmask_used;
	struct irq_bypass_producer	producer;
	struct rcu_head			rcu;
};

/**
 * struct vfio_pci_intr_ops - vector-level backend operations of one index
 * @info: report the number of vectors in @info->count (0: the index is
 *	  absent) and OR the VFIO_IRQ_INFO_* flags beyond EVENTFD into
 *	  @info->flags.  Called without @ctx->lock; must be cheap and not sleep
 *	  for long.
 * @enable: prepare the index for @nvec vectors.  Return 0, a negative errno,
 *	    or a positive number of vectors the device could grant when it is
 *	    less than @nvec (the index then stays disabled).  @ctx->lock held.
 * @disable: undo @enable once every vector is released.  @ctx->lock held.
 * @vector_alloc: return the host interrupt backing vector @vector, 0 if the
 *		  vector has no host interrupt (emulated) or a negative errno.
 *		  Allocation may be cached by the backend until @disable.
 *		  @ctx->lock held.
 * @vector_request: install the host interrupt handler of @vec (@vec->irq > 0,
 *		    @vec->trigger, @vec->name and @vec->masked are set); the
 *		    handler signals through vfio_pci_intr_vector_signal().
 *		    @ctx->lock held.
 * @vector_release: undo @vector_request.  @ctx->lock held.
 * @mask: mask @vec at the device or interrupt controller.  @vec is NULL when
 *	  the index is not enabled (e.g. a virtual INTx disable), a backend may
 *	  then reflect the state to hardware.  @ctx->irqlock held, may be called
 *	  from the eventfd wakeup path: must not sleep.
 * @unmask: unmask @vec (or reflect it, @vec == NULL as for @mask); return a
 *	    positive value if an interrupt is pending, the vector then stays
 *	    masked and the frontend signals it.  @ctx->irqlock held, must not
 *	    sleep.
 * @name: return a kmalloc'ed name for the host interrupt of vector @vector.
 * @automask: the index is level-triggered and masked when it fires
 *	      (VFIO_IRQ_INFO_AUTOMASKED); emulated vectors are masked by
 *	      vfio_pci_intr_signal().
 * @irq_bypass: register an irqbypass producer for each host interrupt.
 * @maskable: userspace may mask and unmask single vectors of this block
 *	      index (MSI-X of a virtual device) with VFIO_IRQ_SET_ACTION_MASK
 *	      and VFIO_IRQ_SET_ACTION_UNMASK (VFIO_IRQ_INFO_MASKABLE).  An
 *	      interrupt that arrives while its vector is masked is latched as
 *	      pending (vfio_pci_intr_vector_pending()) and delivered once at
 *	      unmask.  Host interrupt handlers of such an index signal through
 *	      vfio_pci_intr_vector_fire().  Without it MASK/UNMASK of a block
 *	      index fail with -ENOTTY, as they do on a PCI function.
 *
 * @info, @enable, @disable, @vector_alloc and @name are mandatory; the
 * others may be NULL when no vector of the index has a host interrupt, or
 * when the index cannot be masked.
 */
struct vfio_pci_intr_ops {
	void (*info)(struct vfio_pci_intr_ctx *ctx, struct vfio_irq_info *info);
	int (*enable)(struct vfio_pci_intr_ctx *ctx, unsigned int nvec);
	void (*disable)(struct vfio_pci_intr_ctx *ctx);
	int (*vector_alloc)(struct vfio_pci_intr_ctx *ctx, unsigned int vector);
	int (*vector_request)(struct vfio_pci_intr_ctx *ctx,
			      struct vfio_pci_intr_vector *vec);
	void (*vector_release)(struct vfio_pci_intr_ctx *ctx,
			       struct vfio_pci_intr_vector *vec);
	void (*mask)(struct vfio_pci_intr_ctx *ctx,
		     struct vfio_pci_intr_vector *vec);
	int (*unmask)(struct vfio_pci_intr_ctx *ctx,
		      struct vfio_pci_intr_vector *vec);
	char *(*name)(struct vfio_pci_intr_ctx *ctx, unsigned int vector);
	bool automask;
	bool irq_bypass;
	bool maskable;
};

/**
 * struct vfio_pci_intr_backend - the backend operations of a device
 * @ops: operations per vector index; NULL for an index the device lacks
 * @err: the device reports errors through VFIO_PCI_ERR_IRQ_INDEX
 * @req: the device relays release requests through VFIO_PCI_REQ_IRQ_INDEX
 * @count: number of vectors of @index for this device instance; mandatory
 *	   when an index uses the emulated operations
 *	   (vfio_pci_intr_emul_*_ops).  May change while the device is open.
 *	   Called with or without @ctx->lock held: must not sleep for long.
 */
struct vfio_pci_intr_backend {
	const struct vfio_pci_intr_ops *ops[VFIO_PCI_IRQ_NR_VECTOR_INDEXES];
	bool err;
	bool req;
	unsigned int (*count)(struct vfio_pci_intr_ctx *ctx,
			      enum vfio_pci_irq_index index);
};

/**
 * struct vfio_pci_intr_ctx - interrupt state of one VFIO device
 * @lock: serialises SET_IRQS and every state change below
 * @irqlock: protects the @masked and @pending state of vectors against the
 *	     host interrupt handlers; nests inside @lock
 * @signal_lock: held by vfio_pci_intr_signal() while it signals an emulated
 *		 vector, so that releasing one can wait for it; @irqlock
 *		 nests inside it
 * @backend: backend operations; constant after vfio_pci_intr_ctx_init()
 * @active: enabled vector index or %VFIO_PCI_IRQ_NONE; written under @lock,
 *	    read locklessly with READ_ONCE() (vfio_pci_intr_active())
 * @vectors: enabled vectors of @active, by vector number; written under
 *	     @lock, RCU-safe lookups
 * @intx_disabled: INTx disabled by the device model (virtual DisINTx bit of
 *		   the command register): INTx stays masked and is not
 *		   signalled; written under @lock and @irqlock
 * @err_trigger: eventfd for VFIO_PCI_ERR_IRQ_INDEX; written under @lock,
 *		 read under RCU
 * @req_trigger: eventfd for VFIO_PCI_REQ_IRQ_INDEX; as @err_trigger
 */
struct vfio_pci_intr_ctx {
	struct mutex				lock;	/* see above */
	spinlock_t				irqlock;	/* see above */
	spinlock_t				signal_lock;	/* see above */
	const struct vfio_pci_intr_backend	*backend;
	enum vfio_pci_irq_index			active;
	struct xarray				vectors;
	bool					intx_disabled;
	struct eventfd_ctx __rcu		*err_trigger;
	struct eventfd_ctx __rcu		*req_trigger;
};

void vfio_pci_intr_ctx_init(struct vfio_pci_intr_ctx *ctx,
			    const struct vfio_pci_intr_backend *backend);
void vfio_pci_intr_ctx_destroy(struct vfio_pci_intr_ctx *ctx);

int vfio_pci_intr_get_irq_info(struct vfio_pci_intr_ctx *ctx,
			       struct vfio_irq_info __user *arg);
int vfio_pci_intr_set_irqs_ioctl(struct vfio_pci_intr_ctx *ctx,
				 struct vfio_irq_set __user *arg);

void vfio_pci_intr_disable(struct vfio_pci_intr_ctx *ctx);
void vfio_pci_intr_disable_all(struct vfio_pci_intr_ctx *ctx);

bool vfio_pci_intr_intx_mask(struct vfio_pci_intr_ctx *ctx);
void vfio_pci_intr_intx_unmask(struct vfio_pci_intr_ctx *ctx);
void vfio_pci_intr_intx_set_disabled(struct vfio_pci_intr_ctx *ctx,
				     bool disabled);

void vfio_pci_intr_vector_signal(struct vfio_pci_intr_vector *vec);
void vfio_pci_intr_vector_fire(struct vfio_pci_intr_vector *vec);
bool vfio_pci_intr_vector_pending(struct vfio_pci_intr_ctx *ctx,
				  unsigned int vector);

/*
 * Emulated backend (vfio_pci_intr_emul.c): vectors with no host interrupt,
 * signalled with vfio_pci_intr_signal().  The backend must have a count()
 * callback.  INTx: one automasked vector; MSI: NORESIZE; MSI-X: vectors may
 * be added while enabled.
 */
extern const struct vfio_pci_intr_ops vfio_pci_intr_emul_intx_ops;
extern const struct vfio_pci_intr_ops vfio_pci_intr_emul_msi_ops;
extern const struct vfio_pci_intr_ops vfio_pci_intr_emul_msix_ops;
int vfio_pci_intr_signal(struct vfio_pci_intr_ctx *ctx, unsigned int vector);
bool vfio_pci_intr_signal_err(struct vfio_pci_intr_ctx *ctx);
bool vfio_pci_intr_signal_req(struct vfio_pci_intr_ctx *ctx);

/*
 * IMS backend (vfio_pci_intr_ims.c): the MSI-X vectors of a virtual device
 * (a SIOV slice of a parent PCI device) backed by interrupts of the parent's
 * Interrupt Message Store, some of them optionally emulated.
 */
struct pci_dev;
struct vfio_pci_ims;
struct vfio_pci_ims_entry;

/**
 * struct vfio_pci_ims_ops - device callbacks of the IMS backend
 * @send: make the device send the message of IMS entry @map.index, which
 *	  backs vector @vector (the virtual device's doorbell for that vector
 *	  rang).  Called by vfio_pci_ims_send() with the vector's IMS entry
 *	  pinned: it cannot be freed or handed to another virtual device
 *	  until @send returns.  Must not sleep.  Optional.
 * @quiesce: the host interrupt of @vector (IMS entry @map.index) is about
 *	     to be freed: make sure the device sends no message for that entry
 *	     once this returns (mask it at the device and drain messages in
 *	     flight).  May sleep.  Optional, for devices whose mask is not
 *	     synchronous.
 */
struct vfio_pci_ims_ops {
	int (*send)(struct vfio_pci_ims *ims, unsigned int vector,
		    struct msi_map map);
	void (*quiesce)(struct vfio_pci_ims *ims, unsigned int vector,
			struct msi_map map);
};

/**
 * struct vfio_pci_ims - virtual MSI-X backed by the IMS of a parent device
 * @intr: the interrupt context; the driver forwards GET_IRQ_INFO and
 *	  SET_IRQS of the virtual device to the frontend with it, and reaches
 *	  its own device structure from @intr or from the vfio_pci_ims with
 *	  container_of()
 * @pdev: the IMS parent, with an IMS domain (pci_create_ims_domain());
 *	  constant
 * @ops: device callbacks; constant
 * @name: name of the virtual device, used in the names of its host
 *	  interrupts (e.g. its dev_name()); must outlive the vfio_pci_ims
 * @nvec: number of MSI-X vectors of the virtual device; constant
 * @lock: protects the IMS mapping of @entries against vfio_pci_ims_send();
 *	  a spinlock, nests inside @intr.lock
 * @entries: @nvec per-vector entries: the IMS mapping (@intr.lock to
 *	     change, @lock to change or to read from vfio_pci_ims_send()),
 *	     the instance cookie and whether the vector is emulated
 *	     (@intr.lock)
 * @default_cookie: instance cookie of vectors without their own, e.g. the
 *		    virtual device's PASID or id; @intr.lock
 *
 * Vectors are allocated from the parent's IMS domain when userspace first
 * gives them an eventfd and stay allocated until MSI-X is disabled.
 * Emulated vectors have no IMS entry: the driver signals them with
 * vfio_pci_ims_send() or vfio_pci_intr_signal().
 */
struct vfio_pci_ims {
	struct vfio_pci_intr_ctx	intr;
	struct pci_dev			*pdev;
	const struct vfio_pci_ims_ops	*ops;
	const char			*name;
	unsigned int			nvec;
	spinlock_t			lock;	/* see above */
	struct vfio_pci_ims_entry	*entries;
	union msi_instance_cookie	default_cookie;
};

int vfio_pci_ims_init(struct vfio_pci_ims *ims, struct pci_dev *pdev,
		      const char *name, unsigned int nvec,
		      const struct vfio_pci_ims_ops *ops);
void vfio_pci_ims_destroy(struct vfio_pci_ims *ims);
void vfio_pci_ims_set_default_cookie(struct vfio_pci_ims *ims,
				     const union msi_instance_cookie *icookie);
int vfio_pci_ims_set_cookie(struct vfio_pci_ims *ims, unsigned int vector,
			    const union msi_instance_cookie *icookie);
int vfio_pci_ims_set_emulated(struct vfio_pci_ims *ims, unsigned int vector,
			      bool emulated);
int vfio_pci_ims_send(struct vfio_pci_ims *ims, unsigned int vector);

/**
 * vfio_pci_intr_active() - the enabled vector index of a device
 * @ctx: interrupt context
 *
 * A lockless snapshot; hold @ctx->lock for a stable answer.
 *
 * Context: any.
 * Return: %VFIO_PCI_IRQ_INTX, %VFIO_PCI_IRQ_MSI, %VFIO_PCI_IRQ_MSIX or
 * %VFIO_PCI_IRQ_NONE.
 */
static inline enum vfio_pci_irq_index
vfio_pci_intr_active(struct vfio_pci_intr_ctx *ctx)
{
	return READ_ONCE(ctx->active);
}

#endif /* LINUX_VFIO_PCI_INTR_H */
