// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: VFIO interrupt frontend
 *
 * The frontend implements VFIO_DEVICE_GET_IRQ_INFO and VFIO_DEVICE_SET_IRQS
 * for every device that embeds a struct vfio_pci_intr_ctx: argument
 * validation, the DATA_NONE/DATA_BOOL/DATA_EVENTFD semantics, eventfd
 * lifetime, masking state, the INTx unmask eventfd, irqbypass producers and
 * the ERR/REQ notification eventfds.  Backends (see struct vfio_pci_intr_ops)
 * only enable an index and attach host interrupts to vectors.
 *
 * A request is dispatched through vfio_pci_intr_set_table[index][action]:
 * the table encodes the uAPI semantics of each index (INTx is a single,
 * maskable vector whose trigger can be swapped in place; MSI and MSI-X are
 * blocks of vectors; ERR and REQ are plain notification eventfds).
 *
 * Locking rules:
 *
 * - ctx->lock (a mutex) serialises every SET_IRQS request, index enable and
 *   disable, vector setup and release, and writes of ctx->active,
 *   ctx->intx_disabled and the ERR/REQ eventfds.  Backend operations other
 *   than mask/unmask run under it.
 * - ctx->irqlock (a spinlock, irq-safe) nests inside ctx->lock and protects
 *   the masked/pending state of vectors against host interrupt handlers and
 *   the unmask eventfd, which runs from the eventfd wakeup with the eventfd
 *   wait-queue lock held.  Backend mask/unmask run under it.  The one
 *   lockless reader is vfio_pci_intr_vector_fire() on an edge (not
 *   automasked) index: it reads masked with READ_ONCE() and signals an
 *   unmasked vector without the lock, which orders it as an interrupt that
 *   arrived just before a concurrent mask; a masked vector takes the lock,
 *   so pending is still set and consumed under it.
 * - ctx->signal_lock (a spinlock, irq-safe) is held by vfio_pci_intr_signal()
 *   from the lookup of an emulated vector to the end of its signal; irqlock
 *   nests inside it.  Taking and releasing it once (vfio_pci_intr_signal_sync())
 *   waits for every signal of a vector already taken out of ctx->vectors.
 * - A vector's trigger is read locklessly by interrupt handlers; it is
 *   replaced under ctx->lock and the old eventfd is put only after
 *   synchronize_irq() (host interrupt) or vfio_pci_intr_signal_sync()
 *   (emulated vector), so no signal reaches it once SET_IRQS has returned.
 *   Vectors are freed with kfree_rcu(): lookups in ctx->vectors that do not
 *   signal run under RCU.  Only INTx replaces a trigger in place or runs
 *   without one: a vector of a block index (MSI, MSI-X) is given its trigger
 *   before its host interrupt is requested and keeps it until that interrupt
 *   is freed, so its handler may use the trigger without a NULL test.
 * - ERR/REQ eventfds are RCU-protected pointers: AER and device-request
 *   notifications signal them without ctx->lock.
 * - The eventfd wakeup path of the unmask virqfd must not signal an eventfd
 *   (it would deadlock on the wait queue): it reports a pending interrupt and
 *   the virqfd thread signals it.
 */

#include <linux/eventfd.h>
#include <linux/interrupt.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_intr.h>
#include <kunit/static_stub.h>

/* Actions, in the order of their VFIO_IRQ_SET_ACTION_* bits. */
enum vfio_pci_intr_action {
	VFIO_PCI_INTR_ACTION_MASK,
	VFIO_PCI_INTR_ACTION_UNMASK,
	VFIO_PCI_INTR_ACTION_TRIGGER,
	VFIO_PCI_INTR_NR_ACTIONS,
};

static_assert((VFIO_IRQ_SET_ACTION_MASK << 1) == VFIO_IRQ_SET_ACTION_UNMASK);
static_assert((VFIO_IRQ_SET_ACTION_MASK << 2) == VFIO_IRQ_SET_ACTION_TRIGGER);

/**
 * struct vfio_pci_intr_set - one decoded VFIO_DEVICE_SET_IRQS request
 * @index: the interrupt index
 * @start: first vector
 * @count: number of vectors
 * @data_type: VFIO_IRQ_SET_DATA_NONE, _BOOL or _EVENTFD
 * @data: @count bools or eventfd numbers, NULL for DATA_NONE or @count 0
 * @ops: backend operations of @index, NULL for ERR and REQ
 */
struct vfio_pci_intr_set {
	enum vfio_pci_irq_index		index;
	unsigned int			start;
	unsigned int			count;
	u32				data_type;
	void				*data;
	const struct vfio_pci_intr_ops	*ops;
};

/*
 * Eventfd accessors.  They are the only places the frontend touches eventfd
 * objects, and the KUnit suite replaces them with static stubs.
 */
static struct eventfd_ctx *vfio_pci_intr_eventfd_get(int fd)
{
	KUNIT_STATIC_STUB_REDIRECT(vfio_pci_intr_eventfd_get, fd);
	return eventfd_ctx_fdget(fd);
}

static void vfio_pci_intr_eventfd_put(struct eventfd_ctx *trigger)
{
	KUNIT_STATIC_STUB_REDIRECT(vfio_pci_intr_eventfd_put, trigger);
	eventfd_ctx_put(trigger);
}

static void vfio_pci_intr_eventfd_signal(struct eventfd_ctx *trigger)
{
	KUNIT_STATIC_STUB_REDIRECT(vfio_pci_intr_eventfd_signal, trigger);
	eventfd_signal(trigger);
}

static const struct vfio_pci_intr_ops *
vfio_pci_intr_index_ops(struct vfio_pci_intr_ctx *ctx,
			enum vfio_pci_irq_index index)
{
	if (index >= VFIO_PCI_IRQ_NR_VECTOR_INDEXES)
		return NULL;
	return ctx->backend->ops[index];
}

static struct vfio_pci_intr_vector *
vfio_pci_intr_vector_get(struct vfio_pci_intr_ctx *ctx, unsigned int vector)
{
	return xa_load(&ctx->vectors, vector);
}

/* The virtual INTx disable bit suppresses INTx delivery. */
static bool vfio_pci_intr_gated(struct vfio_pci_intr_ctx *ctx)
{
	return READ_ONCE(ctx->intx_disabled) &&
	       vfio_pci_intr_active(ctx) == VFIO_PCI_IRQ_INTX;
}

/**
 * vfio_pci_intr_vector_signal() - deliver a vector to userspace
 * @vec: an enabled vector
 *
 * Signals the trigger eventfd of @vec, if any, unless INTx delivery is
 * disabled by the device model.  Host interrupt handlers of backends call
 * this once the interrupt is accounted for (and masked, for automasked
 * indexes).
 *
 * Context: any; the caller keeps @vec alive (a registered host interrupt
 * handler, or ctx->lock).
 */
void vfio_pci_intr_vector_signal(struct vfio_pci_intr_vector *vec)
{
	struct eventfd_ctx *trigger;

	if (vfio_pci_intr_gated(vec->ctx))
		return;

	trigger = READ_ONCE(vec->trigger);
	if (likely(trigger))
		vfio_pci_intr_eventfd_signal(trigger);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_vector_signal);

/*
 * Masking.  mask/unmask with a NULL vector reflect a request of the device
 * model to the backend while the index is not enabled.
 */
static bool vfio_pci_intr_mask_irqlocked(struct vfio_pci_intr_ctx *ctx,
					 const struct vfio_pci_intr_ops *ops,
					 struct vfio_pci_intr_vector *vec)
{
	lockdep_assert_held(&ctx->irqlock);

	if (!vec || !vec->masked) {
		if (ops->mask)
			ops->mask(ctx, vec);
		if (!vec)
			return false;
		WRITE_ONCE(vec->masked, true);
		return true;
	}
	return false;
}

/* Returns > 0 if an interrupt is pending: the caller signals it. */
static int vfio_pci_intr_unmask_irqlocked(struct vfio_pci_intr_ctx *ctx,
					  const struct vfio_pci_intr_ops *ops,
					  struct vfio_pci_intr_vector *vec)
{
	int ret = 0;

	lockdep_assert_held(&ctx->irqlock);

	if (!vec) {
		if (ops->unmask)
			ops->unmask(ctx, NULL);
		return 0;
	}

	if (!vec->masked || vfio_pci_intr_gated(ctx))
		return 0;

	if (ops->unmask)
		ret = ops->unmask(ctx, vec);
	if (vec->pending) {
		vec->pending = false;
		ret = 1;
	}
	/* A level-triggered index stays masked while it is signalled. */
	WRITE_ONCE(vec->masked, ret > 0 && ops->automask);
	return ret;
}

static bool vfio_pci_intr_mask_locked(struct vfio_pci_intr_ctx *ctx,
				      const struct vfio_pci_intr_ops *ops,
				      struct vfio_pci_intr_vector *vec)
{
	lockdep_assert_held(&ctx->lock);
	guard(spinlock_irqsave)(&ctx->irqlock);
	return vfio_pci_intr_mask_irqlocked(ctx, ops, vec);
}

static void vfio_pci_intr_unmask_locked(struct vfio_pci_intr_ctx *ctx,
					const struct vfio_pci_intr_ops *ops,
					struct vfio_pci_intr_vector *vec)
{
	int pending;

	lockdep_assert_held(&ctx->lock);
	scoped_guard(spinlock_irqsave, &ctx->irqlock)
		pending = vfio_pci_intr_unmask_irqlocked(ctx, ops, vec);
	if (pending > 0)
		vfio_pci_intr_vector_signal(vec);
}

/* virqfd callbacks of the unmask eventfd; @opaque is the ctx, @data the vector */
static int vfio_pci_intr_virqfd_unmask(void *opaque, void *data)
{
	struct vfio_pci_intr_ctx *ctx = opaque;
	struct vfio_pci_intr_vector *vec = data;
	const struct vfio_pci_intr_ops *ops;

	ops = vfio_pci_intr_index_ops(ctx, vfio_pci_intr_active(ctx));
	if (WARN_ON_ONCE(!ops))
		return 0;

	guard(spinlock_irqsave)(&ctx->irqlock);
	return vfio_pci_intr_unmask_irqlocked(ctx, ops, vec);
}

static void vfio_pci_intr_virqfd_signal(void *opaque, void *data)
{
	vfio_pci_intr_vector_signal(data);
}

/*
 * Vector lifetime: prepare (host interrupt, memory, name, reserved slot) ->
 * activate (trigger, host handler, irqbypass, publish) -> release.  A
 * prepared vector that fails to activate is discarded.
 */
static struct vfio_pci_intr_vector *
vfio_pci_intr_vector_prepare(struct vfio_pci_intr_ctx *ctx,
			     const struct vfio_pci_intr_ops *ops,
			     unsigned int vector)
{
	struct vfio_pci_intr_vector *vec __free(kfree) = NULL;
	int irq, ret;

	lockdep_assert_held(&ctx->lock);

	irq = ops->vector_alloc(ctx, vector);
	if (irq < 0)
		return ERR_PTR(irq);

	vec = kzalloc_obj(*vec, GFP_KERNEL_ACCOUNT);
	if (!vec)
		return ERR_PTR(-ENOMEM);

	ret = xa_reserve(&ctx->vectors, vector, GFP_KERNEL_ACCOUNT);
	if (ret)
		return ERR_PTR(ret);

	vec->name = ops->name(ctx, vector);
	if (!vec->name) {
		xa_release(&ctx->vectors, vector);
		return ERR_PTR(-ENOMEM);
	}

	vec->ctx = ctx;
	vec->vector = vector;
	vec->irq = irq;
	vec->masked = ops->automask && ctx->intx_disabled;
	vec->edge = !ops->automask;
	return_ptr(vec);
}

static void vfio_pci_intr_vector_discard(struct vfio_pci_intr_ctx *ctx,
					 struct vfio_pci_intr_vector *vec)
{
	xa_release(&ctx->vectors, vec->vector);
	kfree(vec->name);
	kfree(vec);
}

static void vfio_pci_intr_bypass_register(const struct vfio_pci_intr_ops *ops,
					  struct vfio_pci_intr_vector *vec)
{
	int ret;

	if (!ops->irq_bypass || vec->irq <= 0 || !vec->trigger)
		return;

	ret = irq_bypass_register_producer(&vec->producer, vec->trigger,
					   vec->irq);
	if (unlikely(ret))
		pr_info("%s: irq bypass producer (eventfd %p) not registered: %d\n",
			vec->name, vec->trigger, ret);
}

/* On success @vec owns @trigger; on failure the caller still does. */
static int vfio_pci_intr_vector_activate(struct vfio_pci_intr_ctx *ctx,
					 const struct vfio_pci_intr_ops *ops,
					 struct vfio_pci_intr_vector *vec,
					 struct eventfd_ctx *trigger)
{
	void *old;
	int ret;

	lockdep_assert_held(&ctx->lock);

	vec->trigger = trigger;
	if (vec->irq > 0) {
		ret = ops->vector_request(ctx, vec);
		if (ret) {
			vec->trigger = NULL;
			return ret;
		}
	}
	vfio_pci_intr_bypass_register(ops, vec);

	/* The slot is reserved: storing cannot fail. */
	old = xa_store(&ctx->vectors, vec->vector, vec, GFP_KERNEL_ACCOUNT);
	WARN_ON_ONCE(old);
	return 0;
}

/*
 * Wait for the vfio_pci_intr_signal() calls in progress: any that found an
 * emulated vector before it was taken out of ctx->vectors, or read its old
 * trigger, has finished signalling when this returns.
 */
static void vfio_pci_intr_signal_sync(struct vfio_pci_intr_ctx *ctx)
{
	spin_lock_irq(&ctx->signal_lock);
	spin_unlock_irq(&ctx->signal_lock);
}

/* Unpublish @vec, stop everything that signals it, then free it. */
static void vfio_pci_intr_vector_release(struct vfio_pci_intr_ctx *ctx,
					 const struct vfio_pci_intr_ops *ops,
					 struct vfio_pci_intr_vector *vec)
{
	lockdep_assert_held(&ctx->lock);

	xa_erase(&ctx->vectors, vec->vector);
	/* Flushes the virqfd cleanup workqueue: only if there was one. */
	if (vec->unmask_used)
		vfio_virqfd_disable(&vec->unmask);
	irq_bypass_unregister_producer(&vec->producer);
	if (vec->irq > 0)
		ops->vector_release(ctx, vec);
	else
		vfio_pci_intr_signal_sync(ctx);

	if (vec->trigger)
		vfio_pci_intr_eventfd_put(vec->trigger);
	kfree(vec->name);
	kfree_rcu(vec, rcu);
}

/* Replace the trigger of an enabled vector in place; takes @trigger. */
static void vfio_pci_intr_vector_swap(struct vfio_pci_intr_ctx *ctx,
				      const struct vfio_pci_intr_ops *ops,
				      struct vfio_pci_intr_vector *vec,
				      struct eventfd_ctx *trigger)
{
	struct eventfd_ctx *old = vec->trigger;

	lockdep_assert_held(&ctx->lock);

	irq_bypass_unregister_producer(&vec->producer);
	WRITE_ONCE(vec->trigger, trigger);
	vfio_pci_intr_bypass_register(ops, vec);

	if (!old)
		return;

	/* Wait for in-flight users of the old trigger before dropping it. */
	if (vec->irq > 0)
		synchronize_irq(vec->irq);
	else
		vfio_pci_intr_signal_sync(ctx);
	if (vec->unmask_used)
		vfio_virqfd_flush_thread(&vec->unmask);
	vfio_pci_intr_eventfd_put(old);
}

/* Index enable/disable */
static int vfio_pci_intr_enable_locked(struct vfio_pci_intr_ctx *ctx,
				       const struct vfio_pci_intr_set *set,
				       unsigned int nvec)
{
	int ret;

	lockdep_assert_held(&ctx->lock);

	/* May be positive: the number of vectors the device can grant. */
	ret = set->ops->enable(ctx, nvec);
	if (ret)
		return ret;

	/* Set before any host handler is installed: handlers test it. */
	WRITE_ONCE(ctx->active, set->index);
	return 0;
}

static void vfio_pci_intr_disable_locked(struct vfio_pci_intr_ctx *ctx)
{
	const struct vfio_pci_intr_ops *ops;
	struct vfio_pci_intr_vector *vec;
	unsigned long i;

	lockdep_assert_held(&ctx->lock);

	ops = vfio_pci_intr_index_ops(ctx, ctx->active);
	if (!ops)
		return;

	xa_for_each(&ctx->vectors, i, vec)
		vfio_pci_intr_vector_release(ctx, ops, vec);
	ops->disable(ctx);
	WRITE_ONCE(ctx->active, VFIO_PCI_IRQ_NONE);
}

/* Request decoding helpers */
static bool vfio_pci_intr_set_wants(const struct vfio_pci_intr_set *set,
				    unsigned int i)
{
	if (set->data_type == VFIO_IRQ_SET_DATA_BOOL)
		return ((u8 *)set->data)[i];
	return true;	/* DATA_NONE */
}

static s32 vfio_pci_intr_set_fd(const struct vfio_pci_intr_set *set,
				unsigned int i)
{
	return set->data ? ((s32 *)set->data)[i] : -1;
}

static bool vfio_pci_intr_is_active(struct vfio_pci_intr_ctx *ctx,
				    const struct vfio_pci_intr_set *set)
{
	return ctx->active == set->index;
}

static bool vfio_pci_intr_is_idle(struct vfio_pci_intr_ctx *ctx)
{
	return ctx->active == VFIO_PCI_IRQ_NONE;
}

static bool vfio_pci_intr_is_disable(struct vfio_pci_intr_ctx *ctx,
				     const struct vfio_pci_intr_set *set)
{
	return vfio_pci_intr_is_active(ctx, set) && !set->count &&
	       set->data_type == VFIO_IRQ_SET_DATA_NONE;
}

/*
 * ACTION_MASK / ACTION_UNMASK of a single-vector index (INTx).  Masking by
 * eventfd is not implemented.
 */
static int vfio_pci_intr_set_mask(struct vfio_pci_intr_ctx *ctx,
				  const struct vfio_pci_intr_set *set)
{
	if (!vfio_pci_intr_is_active(ctx, set) || set->start || set->count != 1)
		return -EINVAL;

	if (set->data_type == VFIO_IRQ_SET_DATA_EVENTFD)
		return -ENOTTY;

	if (vfio_pci_intr_set_wants(set, 0))
		vfio_pci_intr_mask_locked(ctx, set->ops,
					  vfio_pci_intr_vector_get(ctx, 0));
	return 0;
}

static int vfio_pci_intr_set_unmask(struct vfio_pci_intr_ctx *ctx,
				    const struct vfio_pci_intr_set *set)
{
	struct vfio_pci_intr_vector *vec;
	s32 fd;

	if (!vfio_pci_intr_is_active(ctx, set) || set->start || set->count != 1)
		return -EINVAL;

	vec = vfio_pci_intr_vector_get(ctx, 0);
	if (WARN_ON_ONCE(!vec))
		return -EINVAL;

	if (set->data_type != VFIO_IRQ_SET_DATA_EVENTFD) {
		if (vfio_pci_intr_set_wants(set, 0))
			vfio_pci_intr_unmask_locked(ctx, set->ops, vec);
		return 0;
	}

	fd = vfio_pci_intr_set_fd(set, 0);
	vec->unmask_used = true;
	if (fd >= 0)
		return vfio_virqfd_enable(ctx, vfio_pci_intr_virqfd_unmask,
					  vfio_pci_intr_virqfd_signal, vec,
					  &vec->unmask, fd);

	vfio_virqfd_disable(&vec->unmask);
	return 0;
}

/*
 * ACTION_MASK / ACTION_UNMASK of a block index (MSI-X of a virtual device):
 * every selected vector must have a trigger; nothing changes otherwise.
 * Indexes whose backend cannot mask single vectors answer -ENOTTY, as a
 * PCI function always did.
 */
static int vfio_pci_intr_set_mask_check(struct vfio_pci_intr_ctx *ctx,
					const struct vfio_pci_intr_set *set)
{
	unsigned int i;

	if (!set->ops->maskable || set->data_type == VFIO_IRQ_SET_DATA_EVENTFD)
		return -ENOTTY;
	if (!vfio_pci_intr_is_active(ctx, set) || !set->count)
		return -EINVAL;

	for (i = 0; i < set->count; i++)
		if (vfio_pci_intr_set_wants(set, i) &&
		    !vfio_pci_intr_vector_get(ctx, set->start + i))
			return -EINVAL;
	return 0;
}

typedef void (*vfio_pci_intr_vector_fn)(struct vfio_pci_intr_ctx *ctx,
					const struct vfio_pci_intr_ops *ops,
					struct vfio_pci_intr_vector *vec);

static void vfio_pci_intr_vector_mask(struct vfio_pci_intr_ctx *ctx,
				      const struct vfio_pci_intr_ops *ops,
				      struct vfio_pci_intr_vector *vec)
{
	vfio_pci_intr_mask_locked(ctx, ops, vec);
}

/* Apply @fn to every selected vector once the whole request is valid. */
static int vfio_pci_intr_set_each_vector(struct vfio_pci_intr_ctx *ctx,
					 const struct vfio_pci_intr_set *set,
					 vfio_pci_intr_vector_fn fn)
{
	unsigned int i;
	int ret;

	ret = vfio_pci_intr_set_mask_check(ctx, set);
	if (ret)
		return ret;

	for (i = 0; i < set->count; i++)
		if (vfio_pci_intr_set_wants(set, i))
			fn(ctx, set->ops, vfio_pci_intr_vector_get(ctx, set->start + i));
	return 0;
}

static int vfio_pci_intr_set_mask_block(struct vfio_pci_intr_ctx *ctx,
					const struct vfio_pci_intr_set *set)
{
	return vfio_pci_intr_set_each_vector(ctx, set, vfio_pci_intr_vector_mask);
}

static int vfio_pci_intr_set_unmask_block(struct vfio_pci_intr_ctx *ctx,
					  const struct vfio_pci_intr_set *set)
{
	return vfio_pci_intr_set_each_vector(ctx, set, vfio_pci_intr_unmask_locked);
}

/* First trigger of a single-vector index: enable it with @trigger. */
static int vfio_pci_intr_enable_single(struct vfio_pci_intr_ctx *ctx,
				       const struct vfio_pci_intr_set *set,
				       struct eventfd_ctx *trigger)
{
	struct vfio_pci_intr_vector *vec;
	int ret;

	ret = vfio_pci_intr_enable_locked(ctx, set, 1);
	if (ret)
		goto out;

	vec = vfio_pci_intr_vector_prepare(ctx, set->ops, 0);
	if (IS_ERR(vec)) {
		ret = PTR_ERR(vec);
		goto out_disable;
	}

	ret = vfio_pci_intr_vector_activate(ctx, set->ops, vec, trigger);
	if (!ret)
		return 0;

	vfio_pci_intr_vector_discard(ctx, vec);
out_disable:
	set->ops->disable(ctx);
	WRITE_ONCE(ctx->active, VFIO_PCI_IRQ_NONE);
out:
	return ret;
}

/*
 * ACTION_TRIGGER of a single-vector index (INTx): a negative fd enables or
 * keeps the index without a trigger; a new fd replaces the trigger in place.
 */
static int vfio_pci_intr_set_trigger_single(struct vfio_pci_intr_ctx *ctx,
					    const struct vfio_pci_intr_set *set)
{
	struct eventfd_ctx *trigger = NULL;
	s32 fd;
	int ret = 0;

	if (vfio_pci_intr_is_disable(ctx, set)) {
		vfio_pci_intr_disable_locked(ctx);
		return 0;
	}

	if (!(vfio_pci_intr_is_active(ctx, set) || vfio_pci_intr_is_idle(ctx)) ||
	    set->start || set->count != 1)
		return -EINVAL;

	if (set->data_type != VFIO_IRQ_SET_DATA_EVENTFD) {
		if (!vfio_pci_intr_is_active(ctx, set))
			return -EINVAL;
		if (vfio_pci_intr_set_wants(set, 0))
			vfio_pci_intr_vector_signal(vfio_pci_intr_vector_get(ctx, 0));
		return 0;
	}

	fd = vfio_pci_intr_set_fd(set, 0);
	if (fd >= 0) {
		trigger = vfio_pci_intr_eventfd_get(fd);
		if (IS_ERR(trigger))
			return PTR_ERR(trigger);
	}

	if (vfio_pci_intr_is_active(ctx, set))
		vfio_pci_intr_vector_swap(ctx, set->ops,
					  vfio_pci_intr_vector_get(ctx, 0),
					  trigger);
	else
		ret = vfio_pci_intr_enable_single(ctx, set, trigger);

	if (ret && trigger)
		vfio_pci_intr_eventfd_put(trigger);
	return ret;
}

/*
 * Set vector @vector of a block index to @fd: release whatever the vector
 * had, then, for fd >= 0, set it up again.
 */
static int vfio_pci_intr_set_vector(struct vfio_pci_intr_ctx *ctx,
				    const struct vfio_pci_intr_ops *ops,
				    unsigned int vector, s32 fd)
{
	struct vfio_pci_intr_vector *vec;
	struct eventfd_ctx *trigger;
	int ret;

	vec = vfio_pci_intr_vector_get(ctx, vector);
	if (vec)
		vfio_pci_intr_vector_release(ctx, ops, vec);

	if (fd < 0)
		return 0;

	vec = vfio_pci_intr_vector_prepare(ctx, ops, vector);
	if (IS_ERR(vec))
		return PTR_ERR(vec);

	trigger = vfio_pci_intr_eventfd_get(fd);
	if (IS_ERR(trigger)) {
		ret = PTR_ERR(trigger);
		goto out_discard;
	}

	ret = vfio_pci_intr_vector_activate(ctx, ops, vec, trigger);
	if (!ret)
		return 0;

	vfio_pci_intr_eventfd_put(trigger);
out_discard:
	vfio_pci_intr_vector_discard(ctx, vec);
	return ret;
}

/*
 * On failure every vector from @start up to and including the one that
 * failed is left unset; later vectors of the block are untouched.
 */
static int vfio_pci_intr_set_block(struct vfio_pci_intr_ctx *ctx,
				   const struct vfio_pci_intr_set *set)
{
	unsigned int i, j;
	int ret = 0;

	for (i = 0; i < set->count && !ret; i++)
		ret = vfio_pci_intr_set_vector(ctx, set->ops, set->start + i,
					       vfio_pci_intr_set_fd(set, i));

	if (ret)
		for (j = 0; j < i; j++)
			vfio_pci_intr_set_vector(ctx, set->ops, set->start + j,
						 -1);
	return ret;
}

/* ACTION_TRIGGER of a block index (MSI, MSI-X). */
static int vfio_pci_intr_set_trigger_block(struct vfio_pci_intr_ctx *ctx,
					   const struct vfio_pci_intr_set *set)
{
	struct vfio_pci_intr_vector *vec;
	unsigned int i;
	int ret;

	if (vfio_pci_intr_is_disable(ctx, set)) {
		vfio_pci_intr_disable_locked(ctx);
		return 0;
	}

	if (!(vfio_pci_intr_is_active(ctx, set) || vfio_pci_intr_is_idle(ctx)))
		return -EINVAL;

	if (set->data_type == VFIO_IRQ_SET_DATA_EVENTFD) {
		if (vfio_pci_intr_is_active(ctx, set))
			return vfio_pci_intr_set_block(ctx, set);

		ret = vfio_pci_intr_enable_locked(ctx, set,
						  set->start + set->count);
		if (ret)
			return ret;

		ret = vfio_pci_intr_set_block(ctx, set);
		if (ret)
			vfio_pci_intr_disable_locked(ctx);
		return ret;
	}

	if (!vfio_pci_intr_is_active(ctx, set))
		return -EINVAL;

	/*
	 * Loopback: signal the vectors that have a trigger, as an interrupt
	 * would (a masked vector of a maskable index latches it).
	 */
	for (i = 0; i < set->count; i++) {
		vec = vfio_pci_intr_vector_get(ctx, set->start + i);
		if (!vec || !vfio_pci_intr_set_wants(set, i))
			continue;
		if (set->ops->maskable)
			vfio_pci_intr_vector_fire(vec);
		else
			vfio_pci_intr_vector_signal(vec);
	}
	return 0;
}

/* ERR / REQ notification eventfds */
static void vfio_pci_intr_notify_replace(struct vfio_pci_intr_ctx *ctx,
					 struct eventfd_ctx __rcu **slot,
					 struct eventfd_ctx *trigger)
{
	struct eventfd_ctx *old;

	old = rcu_replace_pointer(*slot, trigger, lockdep_is_held(&ctx->lock));
	if (old) {
		synchronize_rcu();
		vfio_pci_intr_eventfd_put(old);
	}
}

static int vfio_pci_intr_set_notify(struct vfio_pci_intr_ctx *ctx,
				    const struct vfio_pci_intr_set *set,
				    struct eventfd_ctx __rcu **slot)
{
	struct eventfd_ctx *cur, *trigger;
	s32 fd;

	cur = rcu_dereference_protected(*slot, lockdep_is_held(&ctx->lock));

	/* DATA_NONE signals, or with count 0 unregisters; needs an eventfd. */
	if (set->data_type == VFIO_IRQ_SET_DATA_NONE) {
		if (!cur)
			return -EINVAL;
		if (set->count)
			vfio_pci_intr_eventfd_signal(cur);
		else
			vfio_pci_intr_notify_replace(ctx, slot, NULL);
		return 0;
	}

	if (!set->count)
		return -EINVAL;

	if (set->data_type == VFIO_IRQ_SET_DATA_BOOL) {
		if (cur && vfio_pci_intr_set_wants(set, 0))
			vfio_pci_intr_eventfd_signal(cur);
		return 0;
	}

	/* DATA_EVENTFD: -1 unregisters, other negative values are invalid. */
	fd = vfio_pci_intr_set_fd(set, 0);
	if (fd == -1) {
		vfio_pci_intr_notify_replace(ctx, slot, NULL);
		return 0;
	}
	if (fd < 0)
		return -EINVAL;

	trigger = vfio_pci_intr_eventfd_get(fd);
	if (IS_ERR(trigger))
		return PTR_ERR(trigger);
	vfio_pci_intr_notify_replace(ctx, slot, trigger);
	return 0;
}

static int vfio_pci_intr_set_err(struct vfio_pci_intr_ctx *ctx,
				 const struct vfio_pci_intr_set *set)
{
	return vfio_pci_intr_set_notify(ctx, set, &ctx->err_trigger);
}

static int vfio_pci_intr_set_req(struct vfio_pci_intr_ctx *ctx,
				 const struct vfio_pci_intr_set *set)
{
	return vfio_pci_intr_set_notify(ctx, set, &ctx->req_trigger);
}

typedef int (*vfio_pci_intr_set_fn)(struct vfio_pci_intr_ctx *ctx,
				    const struct vfio_pci_intr_set *set);

/* The uAPI semantics of each (index, action); NULL: -ENOTTY. */
static const vfio_pci_intr_set_fn
vfio_pci_intr_set_table[VFIO_PCI_IRQ_NR][VFIO_PCI_INTR_NR_ACTIONS] = {
	[VFIO_PCI_IRQ_INTX] = {
		[VFIO_PCI_INTR_ACTION_MASK]	= vfio_pci_intr_set_mask,
		[VFIO_PCI_INTR_ACTION_UNMASK]	= vfio_pci_intr_set_unmask,
		[VFIO_PCI_INTR_ACTION_TRIGGER]	= vfio_pci_intr_set_trigger_single,
	},
	[VFIO_PCI_IRQ_MSI] = {
		[VFIO_PCI_INTR_ACTION_MASK]	= vfio_pci_intr_set_mask_block,
		[VFIO_PCI_INTR_ACTION_UNMASK]	= vfio_pci_intr_set_unmask_block,
		[VFIO_PCI_INTR_ACTION_TRIGGER]	= vfio_pci_intr_set_trigger_block,
	},
	[VFIO_PCI_IRQ_MSIX] = {
		[VFIO_PCI_INTR_ACTION_MASK]	= vfio_pci_intr_set_mask_block,
		[VFIO_PCI_INTR_ACTION_UNMASK]	= vfio_pci_intr_set_unmask_block,
		[VFIO_PCI_INTR_ACTION_TRIGGER]	= vfio_pci_intr_set_trigger_block,
	},
	[VFIO_PCI_IRQ_ERR] = {
		[VFIO_PCI_INTR_ACTION_TRIGGER]	= vfio_pci_intr_set_err,
	},
	[VFIO_PCI_IRQ_REQ] = {
		[VFIO_PCI_INTR_ACTION_TRIGGER]	= vfio_pci_intr_set_req,
	},
};

static vfio_pci_intr_set_fn vfio_pci_intr_set_lookup(u32 index, u32 flags)
{
	u32 action = flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;

	if (index >= VFIO_PCI_IRQ_NR || !is_power_of_2(action))
		return NULL;
	return vfio_pci_intr_set_table[index]
		[ilog2(action) - ilog2(VFIO_IRQ_SET_ACTION_MASK)];
}

/* Fill @info->count and @info->flags for @info->index. */
static int vfio_pci_intr_irq_info(struct vfio_pci_intr_ctx *ctx,
				  struct vfio_irq_info *info)
{
	const struct vfio_pci_intr_ops *ops;
	bool notify;

	if (info->index >= VFIO_PCI_IRQ_NR)
		return -EINVAL;

	info->flags = VFIO_IRQ_INFO_EVENTFD;
	info->count = 0;

	ops = vfio_pci_intr_index_ops(ctx, info->index);
	if (ops) {
		ops->info(ctx, info);
		if (ops->maskable)
			info->flags |= VFIO_IRQ_INFO_MASKABLE;
		return 0;
	}

	notify = (info->index == VFIO_PCI_IRQ_ERR && ctx->backend->err) ||
		 (info->index == VFIO_PCI_IRQ_REQ && ctx->backend->req);
	info->count = notify ? 1 : 0;
	info->flags |= VFIO_IRQ_INFO_NORESIZE;
	return 0;
}

static u32 vfio_pci_intr_count(struct vfio_pci_intr_ctx *ctx, u32 index)
{
	struct vfio_irq_info info = { .index = index };

	return vfio_pci_intr_irq_info(ctx, &info) ? 0 : info.count;
}

static int vfio_pci_intr_validate(struct vfio_pci_intr_ctx *ctx,
				  struct vfio_irq_set *hdr, size_t *data_size)
{
	return vfio_set_irqs_validate_and_prepare(hdr,
						  vfio_pci_intr_count(ctx, hdr->index),
						  VFIO_PCI_NUM_IRQS, data_size);
}

/* Dispatch a validated request. */
static int vfio_pci_intr_set_irqs_locked(struct vfio_pci_intr_ctx *ctx,
					 const struct vfio_irq_set *hdr,
					 void *data)
{
	struct vfio_pci_intr_set set = {
		.index = hdr->index,
		.start = hdr->start,
		.count = hdr->count,
		.data_type = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK,
		.data = data,
		.ops = vfio_pci_intr_index_ops(ctx, hdr->index),
	};
	vfio_pci_intr_set_fn fn;

	lockdep_assert_held(&ctx->lock);

	fn = vfio_pci_intr_set_lookup(hdr->index, hdr->flags);
	if (!fn)
		return -ENOTTY;
	return fn(ctx, &set);
}

/**
 * vfio_pci_intr_get_irq_info() - handle VFIO_DEVICE_GET_IRQ_INFO
 * @ctx: interrupt context of the device
 * @arg: userspace struct vfio_irq_info
 *
 * Context: process context.
 * Return: 0, or -EFAULT or -EINVAL (short argsz or unknown index).
 */
int vfio_pci_intr_get_irq_info(struct vfio_pci_intr_ctx *ctx,
			       struct vfio_irq_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;

	if (info.argsz < minsz)
		return -EINVAL;

	ret = vfio_pci_intr_irq_info(ctx, &info);
	if (ret)
		return ret;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_get_irq_info);

/**
 * vfio_pci_intr_set_irqs_ioctl() - handle VFIO_DEVICE_SET_IRQS
 * @ctx: interrupt context of the device
 * @arg: userspace struct vfio_irq_set followed by its data
 *
 * Validates the request with vfio_set_irqs_validate_and_prepare() against
 * the vector count the backend reports, then dispatches it.  A request that
 * fails leaves the state upstream vfio-pci leaves (see docs/design.rst).
 *
 * Context: process context; takes @ctx->lock.
 * Return: 0; a positive number of vectors when an MSI/MSI-X index could not
 * be enabled with as many vectors as requested; -EINVAL for a malformed or
 * inconsistent request, -ENOTTY for an unsupported action, -EFAULT, or the
 * error of the eventfd lookup or of the backend.
 */
int vfio_pci_intr_set_irqs_ioctl(struct vfio_pci_intr_ctx *ctx,
				 struct vfio_irq_set __user *arg)
{
	void *data __free(kfree) = NULL;
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;

	ret = vfio_pci_intr_validate(ctx, &hdr, &data_size);
	if (ret)
		return ret;

	if (data_size) {
		data = memdup_user(&arg->data, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	guard(mutex)(&ctx->lock);
	return vfio_pci_intr_set_irqs_locked(ctx, &hdr, data);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_set_irqs_ioctl);

/**
 * vfio_pci_intr_disable() - disable the enabled vector index
 * @ctx: interrupt context of the device
 *
 * Releases every vector and disables the index, as SET_IRQS with count 0
 * and DATA_NONE would, and clears the virtual INTx disable state.  The
 * ERR/REQ eventfds are kept.  Used when the device is closed.
 *
 * Context: process context; takes @ctx->lock.
 */
void vfio_pci_intr_disable(struct vfio_pci_intr_ctx *ctx)
{
	guard(mutex)(&ctx->lock);
	vfio_pci_intr_disable_locked(ctx);
	scoped_guard(spinlock_irqsave, &ctx->irqlock)
		WRITE_ONCE(ctx->intx_disabled, false);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_disable);

/**
 * vfio_pci_intr_disable_all() - drop every interrupt of a device
 * @ctx: interrupt context of the device
 *
 * vfio_pci_intr_disable(), then unregisters the ERR and REQ eventfds.
 *
 * Context: process context; takes @ctx->lock.
 */
void vfio_pci_intr_disable_all(struct vfio_pci_intr_ctx *ctx)
{
	vfio_pci_intr_disable(ctx);

	guard(mutex)(&ctx->lock);
	vfio_pci_intr_notify_replace(ctx, &ctx->err_trigger, NULL);
	vfio_pci_intr_notify_replace(ctx, &ctx->req_trigger, NULL);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_disable_all);

static bool vfio_pci_intr_intx_mask_locked(struct vfio_pci_intr_ctx *ctx)
{
	const struct vfio_pci_intr_ops *ops;
	struct vfio_pci_intr_vector *vec = NULL;

	ops = vfio_pci_intr_index_ops(ctx, VFIO_PCI_IRQ_INTX);
	if (!ops)
		return false;
	if (ctx->active == VFIO_PCI_IRQ_INTX)
		vec = vfio_pci_intr_vector_get(ctx, 0);
	return vfio_pci_intr_mask_locked(ctx, ops, vec);
}

static void vfio_pci_intr_intx_unmask_locked(struct vfio_pci_intr_ctx *ctx)
{
	const struct vfio_pci_intr_ops *ops;
	struct vfio_pci_intr_vector *vec = NULL;

	ops = vfio_pci_intr_index_ops(ctx, VFIO_PCI_IRQ_INTX);
	if (!ops)
		return;
	if (ctx->active == VFIO_PCI_IRQ_INTX)
		vec = vfio_pci_intr_vector_get(ctx, 0);
	vfio_pci_intr_unmask_locked(ctx, ops, vec);
}

/**
 * vfio_pci_intr_intx_mask() - mask INTx on behalf of the driver
 * @ctx: interrupt context of the device
 *
 * Masks the INTx vector if INTx is enabled; otherwise asks the backend to
 * reflect the mask to the device (a PCI function follows the virtual
 * DisINTx bit physically).
 *
 * Context: process context; takes @ctx->lock.
 * Return: true if INTx is enabled and was unmasked until now.
 */
bool vfio_pci_intr_intx_mask(struct vfio_pci_intr_ctx *ctx)
{
	guard(mutex)(&ctx->lock);
	return vfio_pci_intr_intx_mask_locked(ctx);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_intx_mask);

/**
 * vfio_pci_intr_intx_unmask() - unmask INTx on behalf of the driver
 * @ctx: interrupt context of the device
 *
 * The counterpart of vfio_pci_intr_intx_mask(); an interrupt that is
 * pending at unmask time is signalled and INTx stays masked.
 *
 * Context: process context; takes @ctx->lock.
 */
void vfio_pci_intr_intx_unmask(struct vfio_pci_intr_ctx *ctx)
{
	guard(mutex)(&ctx->lock);
	vfio_pci_intr_intx_unmask_locked(ctx);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_intx_unmask);

/**
 * vfio_pci_intr_intx_set_disabled() - track a virtual INTx disable bit
 * @ctx: interrupt context of the device
 * @disabled: new state of the bit (PCI_COMMAND_INTX_DISABLE)
 *
 * While set, INTx is masked, a user unmask is refused and INTx is not
 * signalled.  A change masks or unmasks INTx as vfio_pci_intr_intx_mask()
 * and vfio_pci_intr_intx_unmask() do; no change does nothing.
 *
 * Context: process context; takes @ctx->lock.
 */
void vfio_pci_intr_intx_set_disabled(struct vfio_pci_intr_ctx *ctx,
				     bool disabled)
{
	guard(mutex)(&ctx->lock);

	if (ctx->intx_disabled == disabled)
		return;

	scoped_guard(spinlock_irqsave, &ctx->irqlock)
		WRITE_ONCE(ctx->intx_disabled, disabled);

	if (disabled)
		vfio_pci_intr_intx_mask_locked(ctx);
	else
		vfio_pci_intr_intx_unmask_locked(ctx);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_intx_set_disabled);

/**
 * vfio_pci_intr_signal() - signal an emulated vector
 * @ctx: interrupt context of the device
 * @vector: vector of the enabled index
 *
 * For vectors without a host interrupt (the backend's vector_alloc returned
 * 0): signals the trigger; a masked vector is marked pending and signalled
 * at unmask; an automasked index is masked.
 *
 * Context: any, but not under ctx->irqlock nor from a wakeup of one of
 * @ctx's eventfds: takes ctx->signal_lock (irq-safe), which releasing a
 * vector waits for.
 * Return: 0, -ENOENT if @vector is not enabled, -EINVAL if it is backed by a
 * host interrupt.
 */
int vfio_pci_intr_signal(struct vfio_pci_intr_ctx *ctx, unsigned int vector)
{
	struct vfio_pci_intr_vector *vec;

	guard(spinlock_irqsave)(&ctx->signal_lock);

	vec = vfio_pci_intr_vector_get(ctx, vector);
	if (!vec)
		return -ENOENT;
	if (vec->irq > 0)
		return -EINVAL;

	vfio_pci_intr_vector_fire(vec);
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_signal);

/* vfio_pci_intr_vector_fire() of a masked vector or an automasked index */
static noinline void vfio_pci_intr_vector_fire_locked(struct vfio_pci_intr_vector *vec)
{
	struct vfio_pci_intr_ctx *ctx = vec->ctx;
	const struct vfio_pci_intr_ops *ops;

	ops = vfio_pci_intr_index_ops(ctx, vfio_pci_intr_active(ctx));
	if (unlikely(!ops))
		return;

	scoped_guard(spinlock_irqsave, &ctx->irqlock) {
		if (vec->masked) {
			vec->pending = true;
			return;
		}
		if (ops->automask)
			vec->masked = true;
	}

	vfio_pci_intr_vector_signal(vec);
}

/**
 * vfio_pci_intr_vector_fire() - deliver an interrupt of a maskable vector
 * @vec: an enabled vector
 *
 * Signals @vec unless it is masked; a masked vector is marked pending and
 * signalled once at unmask.  An automasked index is masked.  The host
 * interrupt handlers of backends with &vfio_pci_intr_ops.maskable call
 * this instead of vfio_pci_intr_vector_signal().  An unmasked vector of an
 * edge index is signalled without ctx->irqlock (Locking rules).
 *
 * Context: any; the caller keeps @vec and its trigger alive (a registered
 * host interrupt handler, ctx->lock, or ctx->signal_lock as
 * vfio_pci_intr_signal() holds it).  RCU is not enough: it keeps @vec but
 * not its eventfd.
 */
void vfio_pci_intr_vector_fire(struct vfio_pci_intr_vector *vec)
{
	struct eventfd_ctx *trigger;

	/* Edge and unmasked: the INTx gate does not apply, nothing to latch */
	if (likely(vec->edge && !READ_ONCE(vec->masked))) {
		trigger = READ_ONCE(vec->trigger);
		if (likely(trigger))
			vfio_pci_intr_eventfd_signal(trigger);
		return;
	}
	vfio_pci_intr_vector_fire_locked(vec);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_vector_fire);

/**
 * vfio_pci_intr_vector_pending() - whether a masked vector has an interrupt
 * @ctx: interrupt context of the device
 * @vector: vector of the enabled index
 *
 * For the pending bit array of an emulated MSI-X capability.
 *
 * Context: any.
 * Return: true if @vector is enabled and an interrupt arrived while it was
 * masked; it is delivered at unmask.
 */
bool vfio_pci_intr_vector_pending(struct vfio_pci_intr_ctx *ctx,
				  unsigned int vector)
{
	struct vfio_pci_intr_vector *vec;

	guard(rcu)();
	vec = vfio_pci_intr_vector_get(ctx, vector);
	if (!vec)
		return false;

	guard(spinlock_irqsave)(&ctx->irqlock);
	return vec->pending;
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_vector_pending);

static bool vfio_pci_intr_notify(struct eventfd_ctx __rcu **slot)
{
	struct eventfd_ctx *trigger;

	guard(rcu)();
	trigger = rcu_dereference(*slot);
	if (trigger)
		vfio_pci_intr_eventfd_signal(trigger);
	return !!trigger;
}

/**
 * vfio_pci_intr_signal_err() - signal the ERR eventfd
 * @ctx: interrupt context of the device
 *
 * Context: any.
 * Return: true if an ERR eventfd is registered (and was signalled).
 */
bool vfio_pci_intr_signal_err(struct vfio_pci_intr_ctx *ctx)
{
	return vfio_pci_intr_notify(&ctx->err_trigger);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_signal_err);

/**
 * vfio_pci_intr_signal_req() - signal the REQ eventfd
 * @ctx: interrupt context of the device
 *
 * Context: any.
 * Return: true if a REQ eventfd is registered (and was signalled).
 */
bool vfio_pci_intr_signal_req(struct vfio_pci_intr_ctx *ctx)
{
	return vfio_pci_intr_notify(&ctx->req_trigger);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_signal_req);

/**
 * vfio_pci_intr_ctx_init() - initialise an interrupt context
 * @ctx: context embedded in the driver's device structure
 * @backend: backend operations, which must outlive @ctx
 *
 * Context: process context.
 */
void vfio_pci_intr_ctx_init(struct vfio_pci_intr_ctx *ctx,
			    const struct vfio_pci_intr_backend *backend)
{
	mutex_init(&ctx->lock);
	spin_lock_init(&ctx->irqlock);
	spin_lock_init(&ctx->signal_lock);
	xa_init(&ctx->vectors);
	ctx->backend = backend;
	ctx->active = VFIO_PCI_IRQ_NONE;
	ctx->intx_disabled = false;
	RCU_INIT_POINTER(ctx->err_trigger, NULL);
	RCU_INIT_POINTER(ctx->req_trigger, NULL);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_ctx_init);

/**
 * vfio_pci_intr_ctx_destroy() - tear down an interrupt context
 * @ctx: context, with no interrupt left (vfio_pci_intr_disable_all())
 *
 * Context: process context.
 */
void vfio_pci_intr_ctx_destroy(struct vfio_pci_intr_ctx *ctx)
{
	WARN_ON(ctx->active != VFIO_PCI_IRQ_NONE);
	WARN_ON(!xa_empty(&ctx->vectors));
	WARN_ON(rcu_access_pointer(ctx->err_trigger) ||
		rcu_access_pointer(ctx->req_trigger));
	xa_destroy(&ctx->vectors);
	mutex_destroy(&ctx->lock);
}
EXPORT_SYMBOL_GPL(vfio_pci_intr_ctx_destroy);

#if IS_ENABLED(CONFIG_VFIO_PCI_INTR_KUNIT_TEST)
#include "vfio_pci_intr_kunit.c"
#endif
