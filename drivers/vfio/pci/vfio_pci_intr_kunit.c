// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the VFIO interrupt frontend.
 *
 * Included at the end of vfio_pci_intrs.c (CONFIG_VFIO_PCI_INTR_KUNIT_TEST)
 * so that it can drive the frontend below the copy_from_user() layer.
 *
 * A fake device registers a fake backend: INTx (automasked, emulated),
 * MSI (emulated) and MSI-X whose even vectors are backed by real host
 * interrupts (irq descriptors on dummy_irq_chip, fired with
 * generic_handle_irq_safe()) and odd vectors are emulated.  Eventfds are
 * replaced by static stubs: fd FAKE_FD0 + i is fake eventfd i, FAKE_FD_NOTEFD
 * is an open file that is not an eventfd, anything else is not open.  Each
 * fake eventfd counts its references and signals, so every test checks the
 * references are balanced at the end.
 */

#include <kunit/test.h>
#include <kunit/static_stub.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>

#define FAKE_NR_EFD	8
#define FAKE_FD0	100
#define FAKE_FD_NOTEFD	99
#define FAKE_FD_CLOSED	98
#define FAKE_NVEC	8

struct fake_efd {
	int refs;
	int signals;
};

struct fake_dev {
	struct vfio_pci_intr_ctx intr;
	struct fake_efd efd[FAKE_NR_EFD];
	int host_irq[FAKE_NVEC];	/* MSI-X: even vectors */
	int nvec_enabled;		/* enable(nvec) of the last enable */
	int enables, disables;
	int requests, releases;
	int masks, unmasks, masks_idle, unmasks_idle;
	int enable_ret;			/* returned by enable when non-zero */
	int fail_alloc_vector;		/* vector_alloc fails for it, or -1 */
	int fail_request_vector;	/* vector_request fails for it, or -1 */
	bool unmask_pending;		/* unmask reports a pending interrupt */
};

static struct fake_dev *to_fake(struct vfio_pci_intr_ctx *ctx)
{
	return container_of(ctx, struct fake_dev, intr);
}

static struct fake_dev *fake_current(void)
{
	return kunit_get_current_test()->priv;
}

/* Eventfd stubs */
static struct eventfd_ctx *fake_eventfd_get(int fd)
{
	struct fake_dev *fd_dev = fake_current();

	if (fd == FAKE_FD_NOTEFD)
		return ERR_PTR(-EINVAL);
	if (fd < FAKE_FD0 || fd >= FAKE_FD0 + FAKE_NR_EFD)
		return ERR_PTR(-EBADF);
	fd_dev->efd[fd - FAKE_FD0].refs++;
	return (struct eventfd_ctx *)&fd_dev->efd[fd - FAKE_FD0];
}

static void fake_eventfd_put(struct eventfd_ctx *trigger)
{
	struct fake_efd *efd = (struct fake_efd *)trigger;

	KUNIT_EXPECT_GT(kunit_get_current_test(), efd->refs, 0);
	efd->refs--;
}

static void fake_eventfd_signal(struct eventfd_ctx *trigger)
{
	((struct fake_efd *)trigger)->signals++;
}

/* Fake backend */
static void fake_info(struct vfio_pci_intr_ctx *ctx, struct vfio_irq_info *info)
{
	info->count = info->index == VFIO_PCI_IRQ_INTX ? 1 : FAKE_NVEC;
	info->flags |= info->index == VFIO_PCI_IRQ_INTX ?
		VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED :
		VFIO_IRQ_INFO_NORESIZE;
}

static int fake_enable(struct vfio_pci_intr_ctx *ctx, unsigned int nvec)
{
	struct fake_dev *fd = to_fake(ctx);

	lockdep_assert_held(&ctx->lock);
	if (fd->enable_ret)
		return fd->enable_ret;
	fd->enables++;
	fd->nvec_enabled = nvec;
	return 0;
}

static void fake_disable(struct vfio_pci_intr_ctx *ctx)
{
	to_fake(ctx)->disables++;
}

static int fake_vector_alloc(struct vfio_pci_intr_ctx *ctx, unsigned int vector)
{
	struct fake_dev *fd = to_fake(ctx);

	if (vector == fd->fail_alloc_vector || vector >= fd->nvec_enabled)
		return -EINVAL;
	return 0;
}

static int fake_msix_vector_alloc(struct vfio_pci_intr_ctx *ctx,
				  unsigned int vector)
{
	int ret = fake_vector_alloc(ctx, vector);

	if (ret || vector % 2)
		return ret;
	return to_fake(ctx)->host_irq[vector];
}

static irqreturn_t fake_handler(int irq, void *arg)
{
	vfio_pci_intr_vector_signal(arg);
	return IRQ_HANDLED;
}

static int fake_vector_request(struct vfio_pci_intr_ctx *ctx,
			       struct vfio_pci_intr_vector *vec)
{
	struct fake_dev *fd = to_fake(ctx);
	int ret;

	if (vec->vector == fd->fail_request_vector)
		return -EBUSY;
	ret = request_irq(vec->irq, fake_handler, 0, vec->name, vec);
	if (!ret)
		fd->requests++;
	return ret;
}

static void fake_vector_release(struct vfio_pci_intr_ctx *ctx,
				struct vfio_pci_intr_vector *vec)
{
	free_irq(vec->irq, vec);
	to_fake(ctx)->releases++;
}

static void fake_mask(struct vfio_pci_intr_ctx *ctx,
		      struct vfio_pci_intr_vector *vec)
{
	lockdep_assert_held(&ctx->irqlock);
	if (vec)
		to_fake(ctx)->masks++;
	else
		to_fake(ctx)->masks_idle++;
}

static int fake_unmask(struct vfio_pci_intr_ctx *ctx,
		       struct vfio_pci_intr_vector *vec)
{
	struct fake_dev *fd = to_fake(ctx);

	lockdep_assert_held(&ctx->irqlock);
	if (!vec) {
		fd->unmasks_idle++;
		return 0;
	}
	fd->unmasks++;
	return fd->unmask_pending;
}

static char *fake_name(struct vfio_pci_intr_ctx *ctx, unsigned int vector)
{
	return kasprintf(GFP_KERNEL, "vfio-fake[%u]", vector);
}

static const struct vfio_pci_intr_ops fake_intx_ops = {
	.info		= fake_info,
	.enable		= fake_enable,
	.disable	= fake_disable,
	.vector_alloc	= fake_vector_alloc,
	.mask		= fake_mask,
	.unmask		= fake_unmask,
	.name		= fake_name,
	.automask	= true,
};

static const struct vfio_pci_intr_ops fake_msi_ops = {
	.info		= fake_info,
	.enable		= fake_enable,
	.disable	= fake_disable,
	.vector_alloc	= fake_vector_alloc,
	.name		= fake_name,
};

static const struct vfio_pci_intr_ops fake_msix_ops = {
	.info		= fake_info,
	.enable		= fake_enable,
	.disable	= fake_disable,
	.vector_alloc	= fake_msix_vector_alloc,
	.vector_request	= fake_vector_request,
	.vector_release	= fake_vector_release,
	.name		= fake_name,
};

static const struct vfio_pci_intr_backend fake_backend = {
	.ops = {
		[VFIO_PCI_IRQ_INTX]	= &fake_intx_ops,
		[VFIO_PCI_IRQ_MSI]	= &fake_msi_ops,
		[VFIO_PCI_IRQ_MSIX]	= &fake_msix_ops,
	},
	.err = true,
	.req = true,
};

/*
 * Virtual MSI-X: vectors can be masked one by one; host interrupts are
 * delivered through vfio_pci_intr_vector_fire().
 */
static irqreturn_t fake_fire_handler(int irq, void *arg)
{
	vfio_pci_intr_vector_fire(arg);
	return IRQ_HANDLED;
}

static int fake_fire_vector_request(struct vfio_pci_intr_ctx *ctx,
				    struct vfio_pci_intr_vector *vec)
{
	int ret = request_irq(vec->irq, fake_fire_handler, 0, vec->name, vec);

	if (!ret)
		to_fake(ctx)->requests++;
	return ret;
}

static const struct vfio_pci_intr_ops fake_maskable_msix_ops = {
	.info		= fake_info,
	.enable		= fake_enable,
	.disable	= fake_disable,
	.vector_alloc	= fake_msix_vector_alloc,
	.vector_request	= fake_fire_vector_request,
	.vector_release	= fake_vector_release,
	.name		= fake_name,
	.maskable	= true,
};

static const struct vfio_pci_intr_backend fake_maskable_backend = {
	.ops = { [VFIO_PCI_IRQ_MSIX] = &fake_maskable_msix_ops },
};

/* A backend with only MSI-X and no ERR/REQ, for the "absent index" cases. */
static const struct vfio_pci_intr_backend fake_msix_only_backend = {
	.ops = { [VFIO_PCI_IRQ_MSIX] = &fake_msix_ops },
};

/* The fake eventfds replace the frontend's accessors for @test. */
static void fake_eventfd_stubs(struct kunit *test)
{
	kunit_activate_static_stub(test, vfio_pci_intr_eventfd_get,
				   fake_eventfd_get);
	kunit_activate_static_stub(test, vfio_pci_intr_eventfd_put,
				   fake_eventfd_put);
	kunit_activate_static_stub(test, vfio_pci_intr_eventfd_signal,
				   fake_eventfd_signal);
}

static int fake_init(struct kunit *test)
{
	struct fake_dev *fd;
	int i, irq;

	fd = kunit_kzalloc(test, sizeof(*fd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fd);
	fd->fail_alloc_vector = -1;
	fd->fail_request_vector = -1;
	vfio_pci_intr_ctx_init(&fd->intr, &fake_backend);

	for (i = 0; i < FAKE_NVEC; i += 2) {
		irq = irq_alloc_desc(NUMA_NO_NODE);
		KUNIT_ASSERT_GT(test, irq, 0);
		irq_set_chip_and_handler(irq, &dummy_irq_chip, handle_simple_irq);
		irq_clear_status_flags(irq, IRQ_NOREQUEST | IRQ_NOAUTOEN);
		fd->host_irq[i] = irq;
	}

	test->priv = fd;
	fake_eventfd_stubs(test);
	return 0;
}

static void fake_exit(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	int i;

	vfio_pci_intr_disable_all(&fd->intr);
	vfio_pci_intr_ctx_destroy(&fd->intr);
	rcu_barrier();	/* kfree_rcu() of vectors */

	for (i = 0; i < FAKE_NR_EFD; i++)
		KUNIT_EXPECT_EQ_MSG(test, fd->efd[i].refs, 0,
				    "eventfd %d leaked", i);
	KUNIT_EXPECT_EQ(test, fd->requests, fd->releases);
	KUNIT_EXPECT_EQ(test, fd->enables, fd->disables);

	for (i = 0; i < FAKE_NVEC; i += 2)
		if (fd->host_irq[i] > 0)
			irq_free_desc(fd->host_irq[i]);
}

/* SET_IRQS from kernel buffers: validation, then dispatch under the lock. */
static int fake_set(struct kunit *test, u32 flags, u32 index, u32 start,
		    u32 count, const void *data, size_t len)
{
	struct fake_dev *fd = test->priv;
	struct vfio_irq_set hdr = {
		.argsz = offsetofend(struct vfio_irq_set, count) + len,
		.flags = flags,
		.index = index,
		.start = start,
		.count = count,
	};
	size_t data_size = 0;
	int ret;

	ret = vfio_pci_intr_validate(&fd->intr, &hdr, &data_size);
	if (ret)
		return ret;
	KUNIT_EXPECT_LE(test, data_size, len);

	guard(mutex)(&fd->intr.lock);
	return vfio_pci_intr_set_irqs_locked(&fd->intr, &hdr,
					     data_size ? (void *)data : NULL);
}

#define EVENTFD_TRIGGER	(VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER)
#define NONE_TRIGGER	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER)
#define BOOL_TRIGGER	(VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER)

static int fake_set_fds(struct kunit *test, u32 index, u32 start, u32 count,
			const s32 *fds)
{
	return fake_set(test, EVENTFD_TRIGGER, index, start, count, fds,
			count * sizeof(*fds));
}

static int fake_set_fd(struct kunit *test, u32 index, u32 vector, s32 fd)
{
	return fake_set_fds(test, index, vector, 1, &fd);
}

static int fake_disable_index(struct kunit *test, u32 index)
{
	return fake_set(test, NONE_TRIGGER, index, 0, 0, NULL, 0);
}

static struct vfio_pci_intr_vector *fake_vec(struct kunit *test,
					     unsigned int vector)
{
	return xa_load(&((struct fake_dev *)test->priv)->intr.vectors, vector);
}

static struct eventfd_ctx *fake_efd_ctx(struct kunit *test, int i)
{
	return (struct eventfd_ctx *)&((struct fake_dev *)test->priv)->efd[i];
}

static void vfio_pci_intr_test_dispatch_table(struct kunit *test)
{
	static const struct {
		u32 index;
		u32 action;
	} enotty[] = {
		{ VFIO_PCI_IRQ_MSI, VFIO_IRQ_SET_ACTION_MASK },
		{ VFIO_PCI_IRQ_MSI, VFIO_IRQ_SET_ACTION_UNMASK },
		{ VFIO_PCI_IRQ_MSIX, VFIO_IRQ_SET_ACTION_MASK },
		{ VFIO_PCI_IRQ_MSIX, VFIO_IRQ_SET_ACTION_UNMASK },
		{ VFIO_PCI_IRQ_ERR, VFIO_IRQ_SET_ACTION_MASK },
		{ VFIO_PCI_IRQ_ERR, VFIO_IRQ_SET_ACTION_UNMASK },
		{ VFIO_PCI_IRQ_REQ, VFIO_IRQ_SET_ACTION_MASK },
		{ VFIO_PCI_IRQ_REQ, VFIO_IRQ_SET_ACTION_UNMASK },
		/* no action, several actions */
		{ VFIO_PCI_IRQ_INTX, 0 },
		{ VFIO_PCI_IRQ_INTX, VFIO_IRQ_SET_ACTION_MASK |
				     VFIO_IRQ_SET_ACTION_UNMASK },
		{ VFIO_PCI_IRQ_MSI, VFIO_IRQ_SET_ACTION_MASK |
				    VFIO_IRQ_SET_ACTION_TRIGGER },
		{ VFIO_PCI_IRQ_ERR, VFIO_IRQ_SET_ACTION_TYPE_MASK },
	};
	s32 fd = FAKE_FD0;
	int i;

	for (i = 0; i < ARRAY_SIZE(enotty); i++) {
		KUNIT_EXPECT_EQ_MSG(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
						   enotty[i].action,
						   enotty[i].index, 0, 1, NULL, 0),
				    -ENOTTY, "index %u action %#x",
				    enotty[i].index, enotty[i].action);
	}

	/* MSI-X MASK with an eventfd: also -ENOTTY, the index state is kept. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 0, fd), 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_EVENTFD |
				       VFIO_IRQ_SET_ACTION_MASK,
				       VFIO_PCI_IRQ_MSIX, 0, 1, &fd, sizeof(fd)),
			-ENOTTY);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&((struct fake_dev *)test->priv)->intr),
			VFIO_PCI_IRQ_MSIX);

	/* Each table entry reaches its handler: the INTx ones need INTx. */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_MASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSI, 0, fd), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_ERR, 0, fd), 0);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_REQ, 0, fd + 1), 0);
	KUNIT_EXPECT_EQ(test, ((struct fake_dev *)test->priv)->efd[0].refs, 2);
}

static void vfio_pci_intr_test_validation(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t size;
	s32 fds[2] = { FAKE_FD0, FAKE_FD0 + 1 };
	u8 bools[2] = { 1, 1 };

	/* argsz below the header */
	hdr = (struct vfio_irq_set){ .argsz = minsz - 1, .flags = NONE_TRIGGER,
				     .index = VFIO_PCI_IRQ_MSI, .count = 1 };
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_validate(&fd->intr, &hdr, &size),
			-EINVAL);
	/* unknown index */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_NUM_IRQS,
				       0, 1, NULL, 0), -EINVAL);
	/* unknown flags */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER | BIT(6),
				       VFIO_PCI_IRQ_MSI, 0, 1, NULL, 0), -EINVAL);
	/* no data type, two data types */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_ACTION_TRIGGER,
				       VFIO_PCI_IRQ_MSI, 0, 1, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER | VFIO_IRQ_SET_DATA_BOOL,
				       VFIO_PCI_IRQ_MSI, 0, 1, bools, 2), -EINVAL);
	/* start and count beyond the index */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_MSI,
				       FAKE_NVEC, 0, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_MSI,
				       FAKE_NVEC - 1, 2, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_INTX,
				       0, 2, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_ERR,
				       1, 0, NULL, 0), -EINVAL);
	/* start + count overflow */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_MSI,
				       2, U32_MAX - 2, NULL, 0), -EINVAL);
	/* data shorter than count elements */
	KUNIT_EXPECT_EQ(test, fake_set(test, EVENTFD_TRIGGER, VFIO_PCI_IRQ_MSI,
				       0, 2, fds, sizeof(fds[0])), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_TRIGGER, VFIO_PCI_IRQ_MSI,
				       0, 2, bools, 1), -EINVAL);

	/* nothing changed, nothing referenced */
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_NONE);
	KUNIT_EXPECT_EQ(test, fd->enables, 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs + fd->efd[1].refs, 0);

	/* absent indexes: count 0, so every request is invalid */
	vfio_pci_intr_ctx_destroy(&fd->intr);
	vfio_pci_intr_ctx_init(&fd->intr, &fake_msix_only_backend);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, FAKE_FD0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_ERR, 0, FAKE_FD0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 0, FAKE_FD0), 0);
	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_MSIX), 0);
}

static void vfio_pci_intr_test_irq_info(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	struct vfio_irq_info info = { .index = VFIO_PCI_IRQ_INTX };

	KUNIT_EXPECT_EQ(test, vfio_pci_intr_irq_info(&fd->intr, &info), 0);
	KUNIT_EXPECT_EQ(test, info.count, 1);
	KUNIT_EXPECT_EQ(test, info.flags, VFIO_IRQ_INFO_EVENTFD |
			VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED);

	info.index = VFIO_PCI_IRQ_MSIX;
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_irq_info(&fd->intr, &info), 0);
	KUNIT_EXPECT_EQ(test, info.count, FAKE_NVEC);

	info.index = VFIO_PCI_IRQ_REQ;
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_irq_info(&fd->intr, &info), 0);
	KUNIT_EXPECT_EQ(test, info.count, 1);
	KUNIT_EXPECT_EQ(test, info.flags,
			VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE);

	info.index = VFIO_PCI_NUM_IRQS;
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_irq_info(&fd->intr, &info), -EINVAL);

	vfio_pci_intr_ctx_destroy(&fd->intr);
	vfio_pci_intr_ctx_init(&fd->intr, &fake_msix_only_backend);
	info.index = VFIO_PCI_IRQ_INTX;
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_irq_info(&fd->intr, &info), 0);
	KUNIT_EXPECT_EQ(test, info.count, 0);
	info.index = VFIO_PCI_IRQ_ERR;
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_irq_info(&fd->intr, &info), 0);
	KUNIT_EXPECT_EQ(test, info.count, 0);
}

static void vfio_pci_intr_test_intx(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	struct vfio_pci_intr_vector *vec;
	u8 no = 0, yes = 1;

	/* Loopback, mask and unmask need INTx enabled. */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_INTX,
				       0, 1, NULL, 0), -EINVAL);

	/* A negative fd enables INTx without a trigger. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, -5), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_INTX);
	vec = fake_vec(test, 0);
	KUNIT_ASSERT_NOT_NULL(test, vec);
	KUNIT_EXPECT_NULL(test, vec->trigger);
	KUNIT_EXPECT_EQ(test, fd->nvec_enabled, 1);

	/* Trigger set in place, then replaced: the old reference goes. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, FAKE_FD0), 0);
	KUNIT_EXPECT_PTR_EQ(test, fake_vec(test, 0), vec);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 1);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, FAKE_FD0 + 1), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);
	KUNIT_EXPECT_EQ(test, fd->efd[1].refs, 1);
	/* A bad fd changes nothing. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0,
					  FAKE_FD_NOTEFD), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0,
					  FAKE_FD_CLOSED), -EBADF);
	KUNIT_EXPECT_PTR_EQ(test, vec->trigger, fake_efd_ctx(test, 1));

	/* Loopback: DATA_NONE and a true bool signal, a false bool doesn't. */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_INTX,
				       0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_TRIGGER, VFIO_PCI_IRQ_INTX,
				       0, 1, &no, 1), 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_TRIGGER, VFIO_PCI_IRQ_INTX,
				       0, 1, &yes, 1), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[1].signals, 2);

	/* Emulated firing automasks; a second one is left pending. */
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 0), 0);
	KUNIT_EXPECT_TRUE(test, vec->masked);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[1].signals, 3);
	KUNIT_EXPECT_TRUE(test, vec->pending);
	/* Unmask with a pending interrupt: resignal, stay masked. */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[1].signals, 4);
	KUNIT_EXPECT_TRUE(test, vec->masked);
	KUNIT_EXPECT_FALSE(test, vec->pending);
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_BOOL |
				       VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, &yes, 1), 0);
	KUNIT_EXPECT_FALSE(test, vec->masked);
	KUNIT_EXPECT_EQ(test, fd->unmasks, 2);

	/* Mask: once at the backend, and not by eventfd. */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_MASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_MASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->masks, 1);
	KUNIT_EXPECT_TRUE(test, vec->masked);
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_EVENTFD |
				       VFIO_IRQ_SET_ACTION_MASK,
				       VFIO_PCI_IRQ_INTX, 0, 1,
				       &(s32){ FAKE_FD0 }, 4), -ENOTTY);

	/* The unmask eventfd: a closed fd fails, -1 is a no-op. */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_EVENTFD |
				       VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_IRQ_INTX, 0, 1,
				       &(s32){ 1000000 }, 4), -EBADF);
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_EVENTFD |
				       VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_IRQ_INTX, 0, 1,
				       &(s32){ -1 }, 4), 0);

	/* MSI cannot be enabled over INTx. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSI, 0, FAKE_FD0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_MSI), -EINVAL);

	/* count 0 + DATA_NONE disables */
	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_INTX), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_NONE);
	KUNIT_EXPECT_EQ(test, fd->efd[1].refs, 0);
	KUNIT_EXPECT_EQ(test, fd->disables, 1);
	/* and when disabled, is invalid */
	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_INTX), -EINVAL);
}

static void vfio_pci_intr_test_intx_disabled(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	struct vfio_pci_intr_vector *vec;

	/* While INTx is off, the device model's bit goes to the backend. */
	vfio_pci_intr_intx_set_disabled(&fd->intr, true);
	KUNIT_EXPECT_EQ(test, fd->masks_idle, 1);
	vfio_pci_intr_intx_set_disabled(&fd->intr, true);
	KUNIT_EXPECT_EQ(test, fd->masks_idle, 1);

	/* Enabled under a set bit: starts masked, loopback suppressed. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, FAKE_FD0), 0);
	vec = fake_vec(test, 0);
	KUNIT_ASSERT_NOT_NULL(test, vec);
	KUNIT_EXPECT_TRUE(test, vec->masked);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_INTX,
				       0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 0);
	/* a user unmask is refused */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, NULL, 0), 0);
	KUNIT_EXPECT_TRUE(test, vec->masked);
	KUNIT_EXPECT_EQ(test, fd->unmasks, 0);

	/* Clearing the bit unmasks. */
	vfio_pci_intr_intx_set_disabled(&fd->intr, false);
	KUNIT_EXPECT_FALSE(test, vec->masked);
	KUNIT_EXPECT_EQ(test, fd->unmasks, 1);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_INTX,
				       0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 1);

	/* Driver mask reports a change once. */
	KUNIT_EXPECT_TRUE(test, vfio_pci_intr_intx_mask(&fd->intr));
	KUNIT_EXPECT_FALSE(test, vfio_pci_intr_intx_mask(&fd->intr));
	vfio_pci_intr_intx_unmask(&fd->intr);
	KUNIT_EXPECT_FALSE(test, vec->masked);

	/* Closing clears the bit. */
	vfio_pci_intr_disable(&fd->intr);
	KUNIT_EXPECT_FALSE(test, fd->intr.intx_disabled);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);
}

static void vfio_pci_intr_test_intx_enable_fails(struct kunit *test)
{
	struct fake_dev *fd = test->priv;

	fd->enable_ret = -ENODEV;
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, FAKE_FD0),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_NONE);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);

	fd->enable_ret = 0;
	fd->fail_alloc_vector = 0;
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, FAKE_FD0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_NONE);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);
	KUNIT_EXPECT_EQ(test, fd->enables, fd->disables);
	KUNIT_EXPECT_TRUE(test, xa_empty(&fd->intr.vectors));
}

static void vfio_pci_intr_test_msi_block(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	u8 bools[3] = { 1, 1, 0 };

	/* Enabling allocates start + count vectors; -1 leaves one unset. */
	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSI, 1, 3,
					   (s32[]){ FAKE_FD0, -1, FAKE_FD0 + 2 }), 0);
	KUNIT_EXPECT_EQ(test, fd->nvec_enabled, 4);
	KUNIT_EXPECT_NULL(test, fake_vec(test, 0));
	KUNIT_EXPECT_NOT_NULL(test, fake_vec(test, 1));
	KUNIT_EXPECT_NULL(test, fake_vec(test, 2));
	KUNIT_EXPECT_NOT_NULL(test, fake_vec(test, 3));

	/* Loopback by bool and none */
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_TRIGGER, VFIO_PCI_IRQ_MSI, 1, 3,
				       bools, sizeof(bools)), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 1);
	KUNIT_EXPECT_EQ(test, fd->efd[2].signals, 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_MSI, 0, 4,
				       NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 2);
	KUNIT_EXPECT_EQ(test, fd->efd[2].signals, 1);

	/* Update: vector 1 moves to another eventfd, vector 3 is unset. */
	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSI, 1, 3,
					   (s32[]){ FAKE_FD0 + 1, -1, -1 }), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);
	KUNIT_EXPECT_EQ(test, fd->efd[1].refs, 1);
	KUNIT_EXPECT_EQ(test, fd->efd[2].refs, 0);
	KUNIT_EXPECT_NULL(test, fake_vec(test, 3));
	/* count 0 with an eventfd is a no-op once enabled */
	KUNIT_EXPECT_EQ(test, fake_set(test, EVENTFD_TRIGGER, VFIO_PCI_IRQ_MSI,
				       0, 0, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[1].refs, 1);
	/* an index other than the active one is refused */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 0, FAKE_FD0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, FAKE_FD0),
			-EINVAL);
	/* a vector beyond what was enabled cannot be allocated */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSI, 5, FAKE_FD0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);

	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_MSI), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[1].refs, 0);
	KUNIT_EXPECT_TRUE(test, xa_empty(&fd->intr.vectors));
}

/*
 * A failure in the middle of a block unsets every vector from start up to
 * the failing one and leaves later vectors alone; on the enabling request
 * the index is disabled again.
 */
static void vfio_pci_intr_test_msi_rollback(struct kunit *test)
{
	struct fake_dev *fd = test->priv;

	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSI, 0, 4,
					   (s32[]){ FAKE_FD0, FAKE_FD0 + 1,
						    FAKE_FD0 + 2, FAKE_FD0 + 3 }), 0);

	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSI, 0, 3,
					   (s32[]){ FAKE_FD0 + 4, FAKE_FD_CLOSED,
						    FAKE_FD0 + 5 }), -EBADF);
	KUNIT_EXPECT_NULL(test, fake_vec(test, 0));
	KUNIT_EXPECT_NULL(test, fake_vec(test, 1));
	KUNIT_EXPECT_NOT_NULL(test, fake_vec(test, 2));
	KUNIT_EXPECT_PTR_EQ(test, fake_vec(test, 2)->trigger, fake_efd_ctx(test, 2));
	KUNIT_EXPECT_NOT_NULL(test, fake_vec(test, 3));
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs + fd->efd[1].refs +
			fd->efd[4].refs + fd->efd[5].refs, 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_MSI);

	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_MSI), 0);

	/* Failing enabling request: back to no index, nothing held. */
	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSI, 0, 2,
					   (s32[]){ FAKE_FD0, FAKE_FD_NOTEFD }),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_NONE);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);
	KUNIT_EXPECT_EQ(test, fd->enables, fd->disables);
	KUNIT_EXPECT_TRUE(test, xa_empty(&fd->intr.vectors));
}

/* Fewer vectors than asked: the count is returned, nothing is enabled. */
static void vfio_pci_intr_test_msi_short(struct kunit *test)
{
	struct fake_dev *fd = test->priv;

	fd->enable_ret = 2;
	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSI, 0, 4,
					   (s32[]){ FAKE_FD0, FAKE_FD0 + 1,
						    FAKE_FD0 + 2, FAKE_FD0 + 3 }), 2);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_NONE);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);

	fd->enable_ret = -ENOSPC;
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 0, FAKE_FD0),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_NONE);
}

/* MSI-X: even vectors are host interrupts, odd ones emulated. */
static void vfio_pci_intr_test_mixed_vectors(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	int i;

	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSIX, 0, 4,
					   (s32[]){ FAKE_FD0, FAKE_FD0 + 1,
						    FAKE_FD0 + 2, FAKE_FD0 + 3 }), 0);
	KUNIT_EXPECT_EQ(test, fd->requests, 2);
	KUNIT_EXPECT_EQ(test, fake_vec(test, 0)->irq, fd->host_irq[0]);
	KUNIT_EXPECT_EQ(test, fake_vec(test, 1)->irq, 0);

	/* Each host interrupt signals only its own eventfd. */
	KUNIT_EXPECT_EQ(test, generic_handle_irq_safe(fd->host_irq[2]), 0);
	KUNIT_EXPECT_EQ(test, generic_handle_irq_safe(fd->host_irq[2]), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[2].signals, 2);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 0);

	/* The driver signals emulated vectors, never host ones. */
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 3), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[3].signals, 1);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 3), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[3].signals, 2);	/* not automasked */
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 5), -ENOENT);

	/* A host request failing mid-block: vectors 4..6 unset, 7 kept. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 7, FAKE_FD0 + 7),
			-EINVAL);	/* beyond the 4 enabled vectors */
	fd->nvec_enabled = FAKE_NVEC;
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 7, FAKE_FD0 + 7), 0);
	fd->fail_request_vector = 6;
	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSIX, 4, 4,
					   (s32[]){ FAKE_FD0 + 4, FAKE_FD0 + 5,
						    FAKE_FD0 + 6, FAKE_FD0 + 6 }),
			-EBUSY);
	for (i = 4; i < 7; i++)
		KUNIT_EXPECT_NULL(test, fake_vec(test, i));
	KUNIT_EXPECT_PTR_EQ(test, fake_vec(test, 7)->trigger, fake_efd_ctx(test, 7));
	KUNIT_EXPECT_EQ(test, fd->efd[4].refs + fd->efd[5].refs +
			fd->efd[6].refs, 0);
	KUNIT_EXPECT_EQ(test, fd->requests - fd->releases, 2);

	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_MSIX), 0);
	KUNIT_EXPECT_EQ(test, fd->requests, fd->releases);
	/* Once freed, a host interrupt no longer reaches the eventfd. */
	generic_handle_irq_safe(fd->host_irq[2]);
	KUNIT_EXPECT_EQ(test, fd->efd[2].signals, 2);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 3), -ENOENT);
}

static void vfio_pci_intr_test_err_req(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	u8 yes = 1;

	/* DATA_NONE without an eventfd, and count 0 for BOOL/EVENTFD */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_ERR,
				       0, 1, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_ERR,
				       0, 0, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_TRIGGER, VFIO_PCI_IRQ_REQ,
				       0, 0, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, EVENTFD_TRIGGER, VFIO_PCI_IRQ_REQ,
				       0, 0, NULL, 0), -EINVAL);
	/* BOOL without an eventfd is fine */
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_TRIGGER, VFIO_PCI_IRQ_REQ,
				       0, 1, &yes, 1), 0);
	/* fd < -1 */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_ERR, 0, -2), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_ERR, 0, FAKE_FD_CLOSED),
			-EBADF);
	KUNIT_EXPECT_FALSE(test, vfio_pci_intr_signal_err(&fd->intr));

	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_ERR, 0, FAKE_FD0), 0);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_REQ, 0, FAKE_FD0 + 1), 0);
	KUNIT_EXPECT_TRUE(test, vfio_pci_intr_signal_err(&fd->intr));
	KUNIT_EXPECT_TRUE(test, vfio_pci_intr_signal_req(&fd->intr));
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_ERR,
				       0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_TRIGGER, VFIO_PCI_IRQ_REQ,
				       0, 1, &yes, 1), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 2);
	KUNIT_EXPECT_EQ(test, fd->efd[1].signals, 2);

	/* replace, then unregister with -1 and with count 0 + DATA_NONE */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_ERR, 0, FAKE_FD0 + 2), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_ERR, 0, -1), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[2].refs, 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_REQ,
				       0, 0, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[1].refs, 0);
	KUNIT_EXPECT_FALSE(test, vfio_pci_intr_signal_req(&fd->intr));
}

/* Close with everything set releases everything (checked by fake_exit). */
static void vfio_pci_intr_test_disable_all(struct kunit *test)
{
	struct fake_dev *fd = test->priv;

	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSIX, 0, 3,
					   (s32[]){ FAKE_FD0, FAKE_FD0 + 1,
						    FAKE_FD0 + 2 }), 0);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_ERR, 0, FAKE_FD0 + 3), 0);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_REQ, 0, FAKE_FD0 + 3), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[3].refs, 2);

	vfio_pci_intr_disable(&fd->intr);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(&fd->intr), VFIO_PCI_IRQ_NONE);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs + fd->efd[1].refs + fd->efd[2].refs, 0);
	KUNIT_EXPECT_EQ(test, fd->efd[3].refs, 2);	/* ERR/REQ kept */
	vfio_pci_intr_disable_all(&fd->intr);
	KUNIT_EXPECT_EQ(test, fd->efd[3].refs, 0);
}

#define NONE_MASK	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK)
#define NONE_UNMASK	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK)
#define BOOL_MASK	(VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_MASK)
#define BOOL_UNMASK	(VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_UNMASK)

/*
 * Per-vector MASK/UNMASK of a maskable block index: host (even) and
 * emulated (odd) vectors latch what arrives while masked and deliver it
 * once at unmask; bad requests change nothing.
 */
static void vfio_pci_intr_test_block_mask(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	struct vfio_irq_info info = { .index = VFIO_PCI_IRQ_MSIX };
	s32 efd = FAKE_FD0;
	u8 sel[] = { 0, 1 };
	int i;

	/* Not maskable: the PCI answer. */
	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSIX, 0, 1, &efd), 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_MASK, VFIO_PCI_IRQ_MSIX,
				       0, 1, NULL, 0), -ENOTTY);
	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_MSIX), 0);

	vfio_pci_intr_ctx_destroy(&fd->intr);
	vfio_pci_intr_ctx_init(&fd->intr, &fake_maskable_backend);
	fd->nvec_enabled = FAKE_NVEC;

	KUNIT_EXPECT_EQ(test, vfio_pci_intr_irq_info(&fd->intr, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.flags & VFIO_IRQ_INFO_MASKABLE);

	/* Needs the index enabled, a count and trigger-bearing vectors. */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_MASK, VFIO_PCI_IRQ_MSIX,
				       0, 1, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSIX, 0, 4,
					   (s32[]){ FAKE_FD0, FAKE_FD0 + 1,
						    FAKE_FD0 + 2, FAKE_FD0 + 3 }), 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_MASK, VFIO_PCI_IRQ_MSIX,
				       0, 0, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_MASK, VFIO_PCI_IRQ_MSIX,
				       3, 2, NULL, 0), -EINVAL);
	KUNIT_EXPECT_FALSE(test, fake_vec(test, 3)->masked);
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_EVENTFD |
				       VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_IRQ_MSIX, 0, 1, &efd, sizeof(efd)),
			-ENOTTY);
	/* A BOOL false skips a vector without a trigger. */
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_MASK, VFIO_PCI_IRQ_MSIX,
				       3, 2, (u8[]){ 1, 0 }, 2), 0);
	KUNIT_EXPECT_TRUE(test, fake_vec(test, 3)->masked);
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_UNMASK, VFIO_PCI_IRQ_MSIX,
				       3, 1, &sel[1], 1), 0);
	KUNIT_EXPECT_FALSE(test, fake_vec(test, 3)->masked);

	/* Mask 0..3; two interrupts each, none signalled, all pending. */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_MASK, VFIO_PCI_IRQ_MSIX,
				       0, 4, NULL, 0), 0);
	for (i = 0; i < 2; i++) {
		generic_handle_irq_safe(fd->host_irq[0]);
		generic_handle_irq_safe(fd->host_irq[2]);
		KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 1), 0);
		/* loopback behaves as an interrupt */
		KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_MSIX,
					       3, 1, NULL, 0), 0);
	}
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, fd->efd[i].signals, 0);
		KUNIT_EXPECT_TRUE(test, vfio_pci_intr_vector_pending(&fd->intr, i));
	}
	KUNIT_EXPECT_FALSE(test, vfio_pci_intr_vector_pending(&fd->intr, 4));

	/* Unmask 0 and 1 (BOOL), then 2 and 3: exactly one each. */
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_UNMASK, VFIO_PCI_IRQ_MSIX,
				       0, 2, (u8[]){ 1, 1 }, 2), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 1);
	KUNIT_EXPECT_EQ(test, fd->efd[1].signals, 1);
	KUNIT_EXPECT_EQ(test, fd->efd[2].signals, 0);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_UNMASK, VFIO_PCI_IRQ_MSIX,
				       2, 2, NULL, 0), 0);
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, fd->efd[i].signals, 1);
		KUNIT_EXPECT_FALSE(test, vfio_pci_intr_vector_pending(&fd->intr, i));
		KUNIT_EXPECT_FALSE(test, fake_vec(test, i)->masked);
	}
	/* Unmasking an unmasked vector delivers nothing. */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_UNMASK, VFIO_PCI_IRQ_MSIX,
				       0, 4, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 1);

	/* Unmasked: edge delivery again. */
	generic_handle_irq_safe(fd->host_irq[0]);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 1), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 2);
	KUNIT_EXPECT_EQ(test, fd->efd[1].signals, 2);

	/* A new trigger resets the mask state; pending is dropped. */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_MASK, VFIO_PCI_IRQ_MSIX,
				       1, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(&fd->intr, 1), 0);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 1, FAKE_FD0 + 5), 0);
	KUNIT_EXPECT_FALSE(test, fake_vec(test, 1)->masked);
	KUNIT_EXPECT_FALSE(test, vfio_pci_intr_vector_pending(&fd->intr, 1));
	KUNIT_EXPECT_EQ(test, fd->efd[1].signals + fd->efd[5].signals, 2);
}

static struct kunit_case vfio_pci_intr_test_cases[] = {
	KUNIT_CASE(vfio_pci_intr_test_dispatch_table),
	KUNIT_CASE(vfio_pci_intr_test_validation),
	KUNIT_CASE(vfio_pci_intr_test_irq_info),
	KUNIT_CASE(vfio_pci_intr_test_intx),
	KUNIT_CASE(vfio_pci_intr_test_intx_disabled),
	KUNIT_CASE(vfio_pci_intr_test_intx_enable_fails),
	KUNIT_CASE(vfio_pci_intr_test_msi_block),
	KUNIT_CASE(vfio_pci_intr_test_msi_rollback),
	KUNIT_CASE(vfio_pci_intr_test_msi_short),
	KUNIT_CASE(vfio_pci_intr_test_mixed_vectors),
	KUNIT_CASE(vfio_pci_intr_test_err_req),
	KUNIT_CASE(vfio_pci_intr_test_disable_all),
	KUNIT_CASE(vfio_pci_intr_test_block_mask),
	{}
};

static struct kunit_suite vfio_pci_intr_test_suite = {
	.name = "vfio_pci_intr",
	.init = fake_init,
	.exit = fake_exit,
	.test_cases = vfio_pci_intr_test_cases,
};

kunit_test_suite(vfio_pci_intr_test_suite);
