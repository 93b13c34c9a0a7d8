// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the emulated interrupt backend (vfio_pci_intr_emul.c)
 * driven through the frontend.
 *
 * Included at the end of vfio_pci_intrs.c after the frontend's suite
 * (CONFIG_VFIO_PCI_INTR_KUNIT_TEST): it reuses that suite's fake device,
 * fake eventfds (reference and signal counts) and SET_IRQS helpers, with a
 * backend made only of the ready-made emulated operations and a count()
 * callback the test can change.
 */

struct emul_dev {
	struct fake_dev fake;	/* test->priv points here */
	unsigned int count[VFIO_PCI_IRQ_NR_VECTOR_INDEXES];
};

static struct emul_dev *to_emul(struct vfio_pci_intr_ctx *ctx)
{
	return container_of(ctx, struct emul_dev, fake.intr);
}

static unsigned int emul_count(struct vfio_pci_intr_ctx *ctx,
			       enum vfio_pci_irq_index index)
{
	return to_emul(ctx)->count[index];
}

static const struct vfio_pci_intr_backend emul_backend = {
	.ops = {
		[VFIO_PCI_IRQ_INTX]	= &vfio_pci_intr_emul_intx_ops,
		[VFIO_PCI_IRQ_MSI]	= &vfio_pci_intr_emul_msi_ops,
		[VFIO_PCI_IRQ_MSIX]	= &vfio_pci_intr_emul_msix_ops,
	},
	.count = emul_count,
};

static int emul_init(struct kunit *test)
{
	struct emul_dev *ed;

	ed = kunit_kzalloc(test, sizeof(*ed), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ed);
	ed->count[VFIO_PCI_IRQ_INTX] = 1;
	ed->count[VFIO_PCI_IRQ_MSI] = 1;
	ed->count[VFIO_PCI_IRQ_MSIX] = 4;
	ed->fake.fail_alloc_vector = -1;
	ed->fake.fail_request_vector = -1;
	vfio_pci_intr_ctx_init(&ed->fake.intr, &emul_backend);

	test->priv = &ed->fake;
	fake_eventfd_stubs(test);
	return 0;
}

static struct emul_dev *emul_current(struct kunit *test)
{
	return container_of((struct fake_dev *)test->priv, struct emul_dev,
			    fake);
}

static struct vfio_irq_info emul_info(struct kunit *test, u32 index)
{
	struct vfio_irq_info info = { .index = index };

	KUNIT_EXPECT_EQ(test, vfio_pci_intr_irq_info(&emul_current(test)->fake.intr,
						     &info), 0);
	return info;
}

/* GET_IRQ_INFO: flags per index, counts from the callback, as they change. */
static void vfio_pci_intr_emul_test_info(struct kunit *test)
{
	struct emul_dev *ed = emul_current(test);
	struct vfio_irq_info info;

	info = emul_info(test, VFIO_PCI_IRQ_INTX);
	KUNIT_EXPECT_EQ(test, info.count, 1);
	KUNIT_EXPECT_EQ(test, info.flags, VFIO_IRQ_INFO_EVENTFD |
			VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED);

	info = emul_info(test, VFIO_PCI_IRQ_MSI);
	KUNIT_EXPECT_EQ(test, info.count, 1);
	KUNIT_EXPECT_EQ(test, info.flags,
			VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE);

	info = emul_info(test, VFIO_PCI_IRQ_MSIX);
	KUNIT_EXPECT_EQ(test, info.count, 4);
	KUNIT_EXPECT_EQ(test, info.flags, VFIO_IRQ_INFO_EVENTFD);

	/* No ERR/REQ in this backend. */
	info = emul_info(test, VFIO_PCI_IRQ_ERR);
	KUNIT_EXPECT_EQ(test, info.count, 0);

	/* INTx is never more than one vector; a zero count hides an index. */
	ed->count[VFIO_PCI_IRQ_INTX] = 3;
	ed->count[VFIO_PCI_IRQ_MSI] = 0;
	ed->count[VFIO_PCI_IRQ_MSIX] = 64;
	KUNIT_EXPECT_EQ(test, emul_info(test, VFIO_PCI_IRQ_INTX).count, 1);
	KUNIT_EXPECT_EQ(test, emul_info(test, VFIO_PCI_IRQ_MSI).count, 0);
	KUNIT_EXPECT_EQ(test, emul_info(test, VFIO_PCI_IRQ_MSIX).count, 64);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSI, 0, FAKE_FD0),
			-EINVAL);
}

/* INTx: automask on signal, the pending latch, unmask delivers once. */
static void vfio_pci_intr_emul_test_intx(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	struct vfio_pci_intr_ctx *ctx = &fd->intr;

	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 0), -ENOENT);
	KUNIT_ASSERT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0, FAKE_FD0),
			0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(ctx), VFIO_PCI_IRQ_INTX);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 1);

	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 1);
	KUNIT_EXPECT_TRUE(test, fake_vec(test, 0)->masked);

	/* Masked: latched, not signalled. */
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 1);
	KUNIT_EXPECT_TRUE(test, fake_vec(test, 0)->pending);

	/* Unmask delivers the latched interrupt once and stays masked. */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 2);
	KUNIT_EXPECT_TRUE(test, fake_vec(test, 0)->masked);
	KUNIT_EXPECT_FALSE(test, fake_vec(test, 0)->pending);

	/* Nothing pending: unmask unmasks. */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 2);
	KUNIT_EXPECT_FALSE(test, fake_vec(test, 0)->masked);

	/* User mask, then signal: latched; loopback ignores the mask. */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_MASK,
				       VFIO_PCI_IRQ_INTX, 0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 2);
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_INTX,
				       0, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 3);

	/* Only vector 0 exists; MSI is refused while INTx is enabled. */
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSI, 0, FAKE_FD0 + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fd->efd[1].refs, 0);

	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_INTX), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(ctx), VFIO_PCI_IRQ_NONE);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 0), -ENOENT);
}

/* MSI: edge-triggered, every signal is delivered; loopback by BOOL. */
static void vfio_pci_intr_emul_test_msi(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	struct vfio_pci_intr_ctx *ctx = &fd->intr;
	u8 bools[1] = { 0 };

	KUNIT_ASSERT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSI, 0, FAKE_FD0),
			0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 0), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 2);
	KUNIT_EXPECT_FALSE(test, fake_vec(test, 0)->masked);

	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_TRIGGER, VFIO_PCI_IRQ_MSI,
				       0, 1, bools, 1), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 2);
	bools[0] = 1;
	KUNIT_EXPECT_EQ(test, fake_set(test, BOOL_TRIGGER, VFIO_PCI_IRQ_MSI,
				       0, 1, bools, 1), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 3);

	/* MSI cannot be masked through VFIO. */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_MASK,
				       VFIO_PCI_IRQ_MSI, 0, 1, NULL, 0), -ENOTTY);

	/* Trigger swap: the new eventfd gets the signals. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSI, 0, FAKE_FD0 + 1),
			0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs, 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 0), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 3);
	KUNIT_EXPECT_EQ(test, fd->efd[1].signals, 1);

	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_MSI), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[1].refs, 0);
}

/* MSI-X: sparse vectors, growth while enabled, a count that shrinks. */
static void vfio_pci_intr_emul_test_msix(struct kunit *test)
{
	struct emul_dev *ed = emul_current(test);
	struct fake_dev *fd = &ed->fake;
	struct vfio_pci_intr_ctx *ctx = &fd->intr;
	s32 fds[2] = { FAKE_FD0, -1 };
	int i;

	KUNIT_ASSERT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSIX, 0, 2, fds),
			0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 0), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 1), -ENOENT);

	/* Add vector 3 while enabled. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 3,
					  FAKE_FD0 + 3), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 3), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[3].signals, 1);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 1);

	/* Grow the device: vector 5 becomes valid. */
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 5,
					  FAKE_FD0 + 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, fd->efd[5].refs, 0);
	ed->count[VFIO_PCI_IRQ_MSIX] = 8;
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 5,
					  FAKE_FD0 + 5), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 5), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[5].signals, 1);

	/* Loopback of the whole range: only vectors with a trigger. */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_MSIX,
				       0, 8, NULL, 0), 0);
	for (i = 0; i < FAKE_NR_EFD; i++)
		KUNIT_EXPECT_EQ_MSG(test, fd->efd[i].signals,
				    (i == 0 || i == 3 || i == 5) ? 2 : 0,
				    "eventfd %d", i);

	/* MSI-X cannot be masked through VFIO (upstream's -ENOTTY). */
	KUNIT_EXPECT_EQ(test, fake_set(test, VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_MASK,
				       VFIO_PCI_IRQ_MSIX, 0, 1, NULL, 0), -ENOTTY);

	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_MSIX), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].refs + fd->efd[3].refs +
			fd->efd[5].refs, 0);

	/* A count that shrank under an enable: the smaller count is offered. */
	fds[1] = FAKE_FD0 + 1;
	KUNIT_ASSERT_EQ(test, fake_set_fds(test, VFIO_PCI_IRQ_MSIX, 6, 2, fds),
			0);
	KUNIT_EXPECT_EQ(test, fake_disable_index(test, VFIO_PCI_IRQ_MSIX), 0);
	guard(mutex)(&ctx->lock);
	ed->count[VFIO_PCI_IRQ_MSIX] = 2;
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_emul_msix_ops.enable(ctx, 8), 2);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_emul_msix_ops.enable(ctx, 0), -EINVAL);
}

/* A bad eventfd changes nothing and leaks nothing. */
static void vfio_pci_intr_emul_test_errors(struct kunit *test)
{
	struct fake_dev *fd = test->priv;
	struct vfio_pci_intr_ctx *ctx = &fd->intr;

	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSI, 0,
					  FAKE_FD_CLOSED), -EBADF);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(ctx), VFIO_PCI_IRQ_NONE);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_INTX, 0,
					  FAKE_FD_NOTEFD), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_active(ctx), VFIO_PCI_IRQ_NONE);

	KUNIT_ASSERT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 1, FAKE_FD0),
			0);
	KUNIT_EXPECT_EQ(test, fake_set_fd(test, VFIO_PCI_IRQ_MSIX, 2,
					  FAKE_FD_CLOSED), -EBADF);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 1), 0);
	KUNIT_EXPECT_EQ(test, fd->efd[0].signals, 1);
	KUNIT_EXPECT_EQ(test, vfio_pci_intr_signal(ctx, 2), -ENOENT);

	/* Loopback on a disabled index. */
	KUNIT_EXPECT_EQ(test, fake_set(test, NONE_TRIGGER, VFIO_PCI_IRQ_MSI,
				       0, 1, NULL, 0), -EINVAL);
	/* The device is closed with the index enabled: fake_exit checks refs. */
}

static struct kunit_case vfio_pci_intr_emul_test_cases[] = {
	KUNIT_CASE(vfio_pci_intr_emul_test_info),
	KUNIT_CASE(vfio_pci_intr_emul_test_intx),
	KUNIT_CASE(vfio_pci_intr_emul_test_msi),
	KUNIT_CASE(vfio_pci_intr_emul_test_msix),
	KUNIT_CASE(vfio_pci_intr_emul_test_errors),
	{}
};

static struct kunit_suite vfio_pci_intr_emul_test_suite = {
	.name = "vfio_pci_intr_emul",
	.init = emul_init,
	.exit = fake_exit,
	.test_cases = vfio_pci_intr_emul_test_cases,
};

kunit_test_suite(vfio_pci_intr_emul_test_suite);
