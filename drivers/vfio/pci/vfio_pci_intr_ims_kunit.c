// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the IMS backend of the VFIO interrupt frontend.
 *
 * Included at the end of vfio_pci_intr_ims.c (CONFIG_VFIO_PCI_INTR_KUNIT_TEST)
 * so that the parent accessors can be replaced by static stubs: a fake IMS
 * parent hands out entries from a small table and records the cookies it
 * was given; host interrupts are never requested.  The backend operations
 * are driven directly, as the frontend would, under the context's lock.
 */

#include <kunit/test.h>

#define FAKE_IMS_NVEC		8
#define FAKE_IMS_ENTRIES	4
#define FAKE_IMS_VIRQ0		1000

struct fake_ims {
	struct vfio_pci_ims ims;
	bool used[FAKE_IMS_ENTRIES];
	u64 cookie[FAKE_IMS_ENTRIES];
	int allocs, frees, requests, releases;
	int sent[FAKE_IMS_ENTRIES];
	int sent_vector;
	int quiesced_index;
	int fail_alloc;			/* alloc_irq returns it when non-zero */
	struct vfio_pci_intr_vector vec[FAKE_IMS_NVEC];
};

static struct fake_ims *fake_ims_current(void)
{
	return kunit_get_current_test()->priv;
}

static struct msi_map fake_ims_alloc_irq(struct vfio_pci_ims *ims,
					 const union msi_instance_cookie *icookie)
{
	struct fake_ims *fi = fake_ims_current();
	int i;

	if (fi->fail_alloc)
		return (struct msi_map){ .index = fi->fail_alloc };
	for (i = 0; i < FAKE_IMS_ENTRIES; i++) {
		if (fi->used[i])
			continue;
		fi->used[i] = true;
		fi->cookie[i] = icookie->value;
		fi->allocs++;
		return (struct msi_map){ .index = i, .virq = FAKE_IMS_VIRQ0 + i };
	}
	return (struct msi_map){ .index = -ENOSPC };
}

static void fake_ims_free_irq(struct vfio_pci_ims *ims, struct msi_map map)
{
	struct fake_ims *fi = fake_ims_current();

	KUNIT_EXPECT_TRUE(kunit_get_current_test(), fi->used[map.index]);
	fi->used[map.index] = false;
	fi->frees++;
}

static int fake_ims_request_irq(struct vfio_pci_intr_vector *vec)
{
	fake_ims_current()->requests++;
	return 0;
}

static void fake_ims_free_host_irq(struct vfio_pci_intr_vector *vec)
{
	fake_ims_current()->releases++;
}

static int fake_ims_send(struct vfio_pci_ims *ims, unsigned int vector,
			 struct msi_map map)
{
	struct fake_ims *fi = container_of(ims, struct fake_ims, ims);

	lockdep_assert_held(&ims->lock);
	fi->sent[map.index]++;
	fi->sent_vector = vector;
	return 0;
}

static void fake_ims_quiesce(struct vfio_pci_ims *ims, unsigned int vector,
			     struct msi_map map)
{
	container_of(ims, struct fake_ims, ims)->quiesced_index = map.index;
}

static const struct vfio_pci_ims_ops fake_ims_ops = {
	.send		= fake_ims_send,
	.quiesce	= fake_ims_quiesce,
};

static int fake_ims_init(struct kunit *test)
{
	struct fake_ims *fi;

	fi = kunit_kzalloc(test, sizeof(*fi), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fi);
	KUNIT_ASSERT_EQ(test, vfio_pci_ims_init(&fi->ims, NULL, "kunit-vdev",
						FAKE_IMS_NVEC, &fake_ims_ops), 0);
	fi->quiesced_index = -1;
	test->priv = fi;
	kunit_activate_static_stub(test, vfio_pci_ims_alloc_irq, fake_ims_alloc_irq);
	kunit_activate_static_stub(test, vfio_pci_ims_free_irq, fake_ims_free_irq);
	kunit_activate_static_stub(test, vfio_pci_ims_request_irq,
				   fake_ims_request_irq);
	kunit_activate_static_stub(test, vfio_pci_ims_free_host_irq,
				   fake_ims_free_host_irq);
	return 0;
}

static void fake_ims_exit(struct kunit *test)
{
	struct fake_ims *fi = test->priv;

	vfio_pci_ims_destroy(&fi->ims);
	KUNIT_EXPECT_EQ(test, fi->allocs, fi->frees);
	KUNIT_EXPECT_EQ(test, fi->requests, fi->releases);
}

/* What the frontend does for a first eventfd, and for index enable. */
static int fake_ims_enable(struct fake_ims *fi, unsigned int nvec)
{
	int ret;

	guard(mutex)(&fi->ims.intr.lock);
	ret = vfio_pci_ims_msix_ops.enable(&fi->ims.intr, nvec);
	if (!ret)
		WRITE_ONCE(fi->ims.intr.active, VFIO_PCI_IRQ_MSIX);
	return ret;
}

static int fake_ims_vector_up(struct fake_ims *fi, unsigned int vector)
{
	struct vfio_pci_intr_vector *vec = &fi->vec[vector];
	int irq, ret;

	guard(mutex)(&fi->ims.intr.lock);
	irq = vfio_pci_ims_msix_ops.vector_alloc(&fi->ims.intr, vector);
	if (irq <= 0)
		return irq;
	vec->ctx = &fi->ims.intr;
	vec->vector = vector;
	vec->irq = irq;
	ret = vfio_pci_ims_msix_ops.vector_request(&fi->ims.intr, vec);
	return ret ?: irq;
}

static void fake_ims_vector_down(struct fake_ims *fi, unsigned int vector)
{
	guard(mutex)(&fi->ims.intr.lock);
	vfio_pci_ims_msix_ops.vector_release(&fi->ims.intr, &fi->vec[vector]);
}

static void fake_ims_disable(struct fake_ims *fi)
{
	guard(mutex)(&fi->ims.intr.lock);
	vfio_pci_ims_msix_ops.disable(&fi->ims.intr);
	WRITE_ONCE(fi->ims.intr.active, VFIO_PCI_IRQ_NONE);
}

static void vfio_pci_ims_test_init_args(struct kunit *test)
{
	struct vfio_pci_ims ims;

	KUNIT_EXPECT_EQ(test, vfio_pci_ims_init(&ims, NULL, "x", 0, &fake_ims_ops),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_init(&ims, NULL, "x", 2049, &fake_ims_ops),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, vfio_pci_ims_init(&ims, NULL, "x", 2048, &fake_ims_ops),
			0);
	vfio_pci_ims_destroy(&ims);
}

/* Allocated at first use, kept across release, freed at disable. */
static void vfio_pci_ims_test_lifetime(struct kunit *test)
{
	struct fake_ims *fi = test->priv;
	char *name;
	int irq;

	KUNIT_ASSERT_EQ(test, fake_ims_enable(fi, 4), 0);
	irq = fake_ims_vector_up(fi, 3);
	KUNIT_EXPECT_EQ(test, irq, FAKE_IMS_VIRQ0);
	KUNIT_EXPECT_EQ(test, fi->allocs, 1);

	name = vfio_pci_ims_name(&fi->ims.intr, 3);
	KUNIT_EXPECT_STREQ(test, name, "vfio-ims-msix[3](kunit-vdev)");
	kfree(name);

	fake_ims_vector_down(fi, 3);
	KUNIT_EXPECT_EQ(test, fi->quiesced_index, 0);
	KUNIT_EXPECT_EQ(test, fake_ims_vector_up(fi, 3), irq);
	KUNIT_EXPECT_EQ(test, fi->allocs, 1);	/* cached */
	KUNIT_EXPECT_EQ(test, fake_ims_vector_up(fi, 1), FAKE_IMS_VIRQ0 + 1);
	fake_ims_vector_down(fi, 3);
	fake_ims_vector_down(fi, 1);

	fake_ims_disable(fi);
	KUNIT_EXPECT_EQ(test, fi->frees, 2);
	KUNIT_EXPECT_EQ(test, fi->ims.entries[3].map.virq, 0);

	/* Out of range, and a failing parent leaves nothing behind. */
	KUNIT_ASSERT_EQ(test, fake_ims_enable(fi, FAKE_IMS_NVEC), 0);
	KUNIT_EXPECT_EQ(test, fake_ims_vector_up(fi, FAKE_IMS_NVEC), -EINVAL);
	fi->fail_alloc = -ENOSPC;
	KUNIT_EXPECT_EQ(test, fake_ims_vector_up(fi, 2), -ENOSPC);
	KUNIT_EXPECT_EQ(test, fi->ims.entries[2].map.virq, 0);
	fake_ims_disable(fi);
	KUNIT_EXPECT_EQ(test, fi->frees, 2);
}

/* Per-vector cookies override the device default, at the next allocation. */
static void vfio_pci_ims_test_cookies(struct kunit *test)
{
	struct fake_ims *fi = test->priv;
	union msi_instance_cookie dflt = { .value = 42 }, own = { .value = 7 };

	vfio_pci_ims_set_default_cookie(&fi->ims, &dflt);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_set_cookie(&fi->ims, 2, &own), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_set_cookie(&fi->ims, FAKE_IMS_NVEC, &own),
			-EINVAL);

	KUNIT_ASSERT_EQ(test, fake_ims_enable(fi, 4), 0);
	KUNIT_EXPECT_GT(test, fake_ims_vector_up(fi, 1), 0);	/* entry 0 */
	KUNIT_EXPECT_GT(test, fake_ims_vector_up(fi, 2), 0);	/* entry 1 */
	KUNIT_EXPECT_EQ(test, fi->cookie[0], 42);
	KUNIT_EXPECT_EQ(test, fi->cookie[1], 7);
	fake_ims_vector_down(fi, 1);
	fake_ims_vector_down(fi, 2);
	fake_ims_disable(fi);

	KUNIT_EXPECT_EQ(test, vfio_pci_ims_set_cookie(&fi->ims, 2, NULL), 0);
	KUNIT_ASSERT_EQ(test, fake_ims_enable(fi, 4), 0);
	KUNIT_EXPECT_GT(test, fake_ims_vector_up(fi, 2), 0);
	KUNIT_EXPECT_EQ(test, fi->cookie[0], 42);
	fake_ims_vector_down(fi, 2);
	fake_ims_disable(fi);
}

/* Emulated vectors get no IMS entry and can only change while disabled. */
static void vfio_pci_ims_test_emulated(struct kunit *test)
{
	struct fake_ims *fi = test->priv;
	char *name;

	KUNIT_EXPECT_EQ(test, vfio_pci_ims_set_emulated(&fi->ims, 0, true), 0);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_set_emulated(&fi->ims, FAKE_IMS_NVEC,
							true), -EINVAL);
	KUNIT_ASSERT_EQ(test, fake_ims_enable(fi, 2), 0);
	KUNIT_EXPECT_EQ(test, fake_ims_vector_up(fi, 0), 0);
	KUNIT_EXPECT_EQ(test, fi->allocs, 0);
	name = vfio_pci_ims_name(&fi->ims.intr, 0);
	KUNIT_EXPECT_STREQ(test, name, "vfio-emul-msix[0](kunit-vdev)");
	kfree(name);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_set_emulated(&fi->ims, 1, true), -EBUSY);
	/* Not in the frontend's vector table: nothing to signal. */
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_send(&fi->ims, 0), -ENOENT);
	fake_ims_disable(fi);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_set_emulated(&fi->ims, 1, true), 0);
}

/* The doorbell reaches the vector's own entry only while it is live. */
static void vfio_pci_ims_test_send(struct kunit *test)
{
	struct fake_ims *fi = test->priv;

	KUNIT_EXPECT_EQ(test, vfio_pci_ims_send(&fi->ims, FAKE_IMS_NVEC), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_send(&fi->ims, 5), -ENOENT);

	KUNIT_ASSERT_EQ(test, fake_ims_enable(fi, 8), 0);
	KUNIT_EXPECT_GT(test, fake_ims_vector_up(fi, 6), 0);	/* entry 0 */
	KUNIT_EXPECT_GT(test, fake_ims_vector_up(fi, 5), 0);	/* entry 1 */
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_send(&fi->ims, 5), 0);
	KUNIT_EXPECT_EQ(test, fi->sent[1], 1);
	KUNIT_EXPECT_EQ(test, fi->sent_vector, 5);
	KUNIT_EXPECT_EQ(test, fi->sent[0], 0);

	/* Released (no eventfd), still allocated: nothing is sent. */
	fake_ims_vector_down(fi, 5);
	KUNIT_EXPECT_EQ(test, fi->quiesced_index, 1);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_send(&fi->ims, 5), -ENOENT);
	KUNIT_EXPECT_EQ(test, fi->sent[1], 1);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_send(&fi->ims, 6), 0);
	KUNIT_EXPECT_EQ(test, fi->sent[0], 1);

	fake_ims_vector_down(fi, 6);
	fake_ims_disable(fi);
	KUNIT_EXPECT_EQ(test, vfio_pci_ims_send(&fi->ims, 6), -ENOENT);
}

static struct kunit_case vfio_pci_ims_test_cases[] = {
	KUNIT_CASE(vfio_pci_ims_test_init_args),
	KUNIT_CASE(vfio_pci_ims_test_lifetime),
	KUNIT_CASE(vfio_pci_ims_test_cookies),
	KUNIT_CASE(vfio_pci_ims_test_emulated),
	KUNIT_CASE(vfio_pci_ims_test_send),
	{}
};

static struct kunit_suite vfio_pci_ims_test_suite = {
	.name = "vfio_pci_intr_ims",
	.init = fake_ims_init,
	.exit = fake_ims_exit,
	.test_cases = vfio_pci_ims_test_cases,
};

kunit_test_suite(vfio_pci_ims_test_suite);
