// SPDX-License-Identifier: GPL-2.0
/*
 * edu SIOV reference driver: debugfs test hook for PCI/IMS
 *
 * /sys/kernel/debug/vfio-siov-edu/<device>/status shows the result of the
 * IMS domain creation and the interrupts the hook holds;
 * /sys/kernel/debug/vfio-siov-edu/<device>/test takes one command per
 * write, runs it with its assertions in the kernel and fails the write
 * with an errno if an assertion fails (details in the kernel log):
 *
 *   alloc N	allocate and request N IMS interrupts at any index, each
 *		with its own handler and the cookie EDU_TEST_COOKIE(i)
 *   fire	fire each one; its own handler must run exactly once and
 *		no other
 *   mask I	mask interrupt I (disable_irq()); a fire must latch as
 *		pending and not run the handler; enable_irq() must run it
 *		exactly once; a later fire runs it again
 *   realloc I	a second allocation at I's index must fail with -EBUSY;
 *		free I, allocate at the same index with a new cookie, fire;
 *		if that allocation fails, every interrupt is freed
 *   cookie	every cookie must be returned by pci_ims_irq_cookie() and
 *		must have been seen by the IMS chip
 *   free	free every interrupt
 *
 * Locking rules: edu_ims_test::lock serialises the commands and protects
 * the interrupt array; the handlers only touch their own atomic counter.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "edu-ims.h"

#define EDU_TEST_COOKIE(i, gen)	(0xed00000000000000ULL | (u64)(gen) << 32 | (i))
#define EDU_TEST_TIMEOUT	msecs_to_jiffies(30000)
#define EDU_TEST_MAX_IRQS	4096

/**
 * struct edu_ims_test_irq - One IMS interrupt held by the test hook
 * @map:	Its IMS index and Linux interrupt number
 * @cookie:	The instance cookie it was allocated with
 * @count:	How often its handler ran
 * @test:	The test hook, to wake the waiter
 */
struct edu_ims_test_irq {
	struct msi_map		map;
	u64			cookie;
	atomic_t		count;
	struct edu_ims_test	*test;
};

/**
 * struct edu_ims_test - The debugfs test hook of one edu device
 * @edu:	The edu device
 * @dir:	The debugfs directory
 * @lock:	Serialises the commands; protects @irqs, @nr and @gen
 * @wait:	Woken by every handler
 * @irqs:	The interrupts held, @nr of them
 * @nr:		Number of interrupts held
 * @gen:	Generation of cookies handed out by realloc
 */
struct edu_ims_test {
	struct edu_ims		*edu;
	struct dentry		*dir;
	struct mutex		lock;	/* serialises the commands */
	wait_queue_head_t	wait;
	struct edu_ims_test_irq	*irqs;
	unsigned int		nr;
	unsigned int		gen;
};

static struct dentry *edu_test_root;

static irqreturn_t edu_test_handler(int irq, void *dev_id)
{
	struct edu_ims_test_irq *ti = dev_id;

	atomic_inc(&ti->count);
	wake_up(&ti->test->wait);
	return IRQ_HANDLED;
}

static struct device *edu_test_dev(struct edu_ims_test *test)
{
	return &test->edu->pdev->dev;
}

static int edu_test_get_irq(struct edu_ims_test *test, struct edu_ims_test_irq *ti,
			    unsigned int index, u64 cookie)
{
	int ret;

	ti->test = test;
	ti->cookie = cookie;
	atomic_set(&ti->count, 0);
	ti->map = edu_ims_alloc_irq(test->edu, index, cookie);
	if (ti->map.index < 0)
		return ti->map.index;

	/* disable_irq() masks the IMS entry at once */
	irq_set_status_flags(ti->map.virq, IRQ_DISABLE_UNLAZY);
	ret = request_irq(ti->map.virq, edu_test_handler, 0, "edu-ims-test", ti);
	if (ret) {
		pci_ims_free_irq(test->edu->pdev, ti->map);
		ti->map.index = ret;
	}
	return ret;
}

static void edu_test_put_irq(struct edu_ims_test *test, struct edu_ims_test_irq *ti)
{
	if (ti->map.index < 0)
		return;
	edu_ims_free_irq(test->edu, ti->map, ti);
	ti->map.index = -ENOENT;
}

static void edu_test_free_locked(struct edu_ims_test *test)
{
	unsigned int i;

	lockdep_assert_held(&test->lock);

	for (i = 0; i < test->nr; i++)
		edu_test_put_irq(test, &test->irqs[i]);
	kfree(test->irqs);
	test->irqs = NULL;
	test->nr = 0;
}

static int edu_test_alloc_locked(struct edu_ims_test *test, unsigned int nr)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&test->lock);

	if (test->nr)
		return -EBUSY;
	if (!nr || nr > EDU_TEST_MAX_IRQS)
		return -EINVAL;
	if (test->edu->ims_status)
		return test->edu->ims_status;

	test->irqs = kcalloc(nr, sizeof(*test->irqs), GFP_KERNEL);
	if (!test->irqs)
		return -ENOMEM;

	for (i = 0; i < nr; i++) {
		test->irqs[i].map.index = -ENOENT;
		test->nr = i + 1;
		ret = edu_test_get_irq(test, &test->irqs[i], MSI_ANY_INDEX,
				       EDU_TEST_COOKIE(i, 0));
		if (ret) {
			dev_err(edu_test_dev(test), "test: alloc %u of %u: %d\n", i, nr, ret);
			edu_test_free_locked(test);
			return ret;
		}
	}
	return 0;
}

/* Every handler ran exactly @want[i] times */
static int edu_test_check_counts(struct edu_ims_test *test, const unsigned int *want)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < test->nr; i++) {
		unsigned int got = atomic_read(&test->irqs[i].count);

		if (got != want[i]) {
			dev_err(edu_test_dev(test), "test: irq %u (IMS %d) ran %u times, want %u\n",
				i, test->irqs[i].map.index, got, want[i]);
			ret = -EIO;
		}
	}
	return ret;
}

/* Fire interrupt @i and wait until its handler ran once more */
static int edu_test_fire_one(struct edu_ims_test *test, unsigned int i, unsigned int *want)
{
	struct edu_ims_test_irq *ti = &test->irqs[i];
	int ret;

	ret = edu_ims_fire(test->edu, ti->map.index);
	if (ret)
		return ret;

	want[i]++;
	if (!wait_event_timeout(test->wait, atomic_read(&ti->count) >= want[i],
				EDU_TEST_TIMEOUT)) {
		dev_err(edu_test_dev(test), "test: irq %u (IMS %d) did not arrive\n",
			i, ti->map.index);
		return -ETIMEDOUT;
	}
	return 0;
}

static unsigned int *edu_test_counts(struct edu_ims_test *test)
{
	unsigned int *want, i;

	want = kcalloc(test->nr, sizeof(*want), GFP_KERNEL);
	if (!want)
		return NULL;
	for (i = 0; i < test->nr; i++)
		want[i] = atomic_read(&test->irqs[i].count);
	return want;
}

static int edu_test_fire_locked(struct edu_ims_test *test)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&test->lock);

	if (!test->nr)
		return -ENOENT;

	unsigned int *want __free(kfree) = edu_test_counts(test);
	if (!want)
		return -ENOMEM;

	for (i = 0; i < test->nr; i++) {
		ret = edu_test_fire_one(test, i, want);
		if (ret)
			return ret;
		/* Exactly this one, and none of the others */
		ret = edu_test_check_counts(test, want);
		if (ret)
			return ret;
	}
	edu_ims_quiesce(test->edu);
	return edu_test_check_counts(test, want);
}

static int edu_test_mask_locked(struct edu_ims_test *test, unsigned int i)
{
	struct edu_ims_test_irq *ti;
	struct edu_ims *edu = test->edu;
	int ret;

	lockdep_assert_held(&test->lock);

	if (i >= test->nr)
		return -EINVAL;
	ti = &test->irqs[i];

	unsigned int *want __free(kfree) = edu_test_counts(test);
	if (!want)
		return -ENOMEM;

	disable_irq(ti->map.virq);
	if (!edu_ims_masked(edu, ti->map.index)) {
		dev_err(edu_test_dev(test), "test: disable_irq() did not mask IMS %d\n",
			ti->map.index);
		enable_irq(ti->map.virq);
		return -EIO;
	}

	/* The mask holds: the fire latches, no message is sent */
	ret = edu_ims_fire(edu, ti->map.index);
	edu_ims_quiesce(edu);
	if (!ret && !edu_ims_pending(edu, ti->map.index)) {
		dev_err(edu_test_dev(test), "test: masked IMS %d not pending\n", ti->map.index);
		ret = -EIO;
	}
	if (!ret)
		ret = edu_test_check_counts(test, want);
	if (ret) {
		enable_irq(ti->map.virq);
		return ret;
	}

	/* Unmask delivers the latched message exactly once */
	enable_irq(ti->map.virq);
	want[i]++;
	if (!wait_event_timeout(test->wait, atomic_read(&ti->count) >= want[i],
				EDU_TEST_TIMEOUT)) {
		dev_err(edu_test_dev(test), "test: unmask of IMS %d delivered nothing\n",
			ti->map.index);
		return -ETIMEDOUT;
	}
	edu_ims_quiesce(edu);
	if (edu_ims_pending(edu, ti->map.index)) {
		dev_err(edu_test_dev(test), "test: IMS %d still pending\n", ti->map.index);
		return -EIO;
	}
	ret = edu_test_check_counts(test, want);
	if (ret)
		return ret;

	/* Unmasked again: a fire is delivered */
	ret = edu_test_fire_one(test, i, want);
	if (ret)
		return ret;
	edu_ims_quiesce(edu);
	return edu_test_check_counts(test, want);
}

static int edu_test_realloc_locked(struct edu_ims_test *test, unsigned int i)
{
	struct edu_ims_test_irq *ti;
	struct msi_map map;
	unsigned int index;
	int ret;

	lockdep_assert_held(&test->lock);

	if (i >= test->nr)
		return -EINVAL;
	ti = &test->irqs[i];
	index = ti->map.index;

	/* The index is taken */
	map = edu_ims_alloc_irq(test->edu, index, 0);
	if (map.index != -EBUSY) {
		dev_err(edu_test_dev(test), "test: second alloc at IMS %u: %d, want %d\n",
			index, map.index, -EBUSY);
		if (map.index >= 0)
			pci_ims_free_irq(test->edu->pdev, map);
		return -EIO;
	}

	/*
	 * A virtual device may take the index between the free and the
	 * allocation. Whatever fails, the test's interrupts all go, so that
	 * no command finds an entry without one.
	 */
	edu_test_put_irq(test, ti);
	test->gen++;
	ret = edu_test_get_irq(test, ti, index, EDU_TEST_COOKIE(i, test->gen));
	if (!ret && ti->map.index != index) {
		dev_err(edu_test_dev(test), "test: realloc at IMS %u gave %d\n", index,
			ti->map.index);
		ret = -EIO;
	} else if (ret) {
		dev_err(edu_test_dev(test), "test: realloc at IMS %u: %d\n", index, ret);
	}
	if (ret) {
		edu_test_free_locked(test);
		return ret;
	}

	unsigned int *want __free(kfree) = edu_test_counts(test);
	if (!want)
		return -ENOMEM;
	ret = edu_test_fire_one(test, i, want);
	if (ret)
		return ret;
	edu_ims_quiesce(test->edu);
	return edu_test_check_counts(test, want);
}

static int edu_test_cookie_locked(struct edu_ims_test *test)
{
	union msi_instance_cookie icookie;
	unsigned int i;
	int ret;

	lockdep_assert_held(&test->lock);

	if (!test->nr)
		return -ENOENT;

	for (i = 0; i < test->nr; i++) {
		struct edu_ims_test_irq *ti = &test->irqs[i];
		u64 chip = edu_ims_cookie(test->edu, ti->map.index);

		ret = pci_ims_irq_cookie(test->edu->pdev, ti->map.virq, &icookie);
		if (ret || icookie.value != ti->cookie || chip != ti->cookie) {
			dev_err(edu_test_dev(test),
				"test: irq %u cookie %#llx: lookup %d %#llx, chip %#llx\n",
				i, ti->cookie, ret, icookie.value, chip);
			return -EIO;
		}
	}

	/* Not an IMS interrupt of this device */
	ret = pci_ims_irq_cookie(test->edu->pdev, pci_irq_vector(test->edu->pdev, 0),
				 &icookie);
	if (ret != -ENOENT) {
		dev_err(edu_test_dev(test), "test: cookie of edu's MSI: %d\n", ret);
		return -EIO;
	}
	return 0;
}

static int edu_test_run(struct edu_ims_test *test, char *cmd)
{
	unsigned int arg = 0;
	char *op;

	cmd = strim(cmd);
	op = strsep(&cmd, " ");
	if (cmd && kstrtouint(skip_spaces(cmd), 0, &arg))
		return -EINVAL;

	guard(mutex)(&test->lock);
	if (!strcmp(op, "alloc"))
		return edu_test_alloc_locked(test, arg);
	if (!strcmp(op, "fire"))
		return edu_test_fire_locked(test);
	if (!strcmp(op, "mask"))
		return edu_test_mask_locked(test, arg);
	if (!strcmp(op, "realloc"))
		return edu_test_realloc_locked(test, arg);
	if (!strcmp(op, "cookie"))
		return edu_test_cookie_locked(test);
	if (!strcmp(op, "free")) {
		edu_test_free_locked(test);
		return 0;
	}
	return -EINVAL;
}

static ssize_t edu_test_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct edu_ims_test *test = file->private_data;
	int ret;

	if (count > 64)
		return -EINVAL;

	char *cmd __free(kfree) = memdup_user_nul(ubuf, count);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);

	ret = edu_test_run(test, cmd);
	return ret ? ret : count;
}

static const struct file_operations edu_test_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= edu_test_write,
};

static int edu_status_show(struct seq_file *s, void *unused)
{
	struct edu_ims_test *test = s->private;

	guard(mutex)(&test->lock);
	seq_printf(s, "ims_domain: %d\n", test->edu->ims_status);
	seq_printf(s, "ims_slots: %u\n", test->edu->nr_slots);
	seq_printf(s, "test_irqs: %u\n", test->nr);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_status);

static void edu_test_remove(void *data)
{
	struct edu_ims_test *test = data;

	debugfs_remove_recursive(test->dir);
	scoped_guard(mutex, &test->lock)
		edu_test_free_locked(test);
	test->edu->test = NULL;
}

/**
 * edu_ims_test_init - Create the debugfs test hook of an edu device
 * @edu:	The edu device, being probed
 *
 * The hook and every interrupt it holds go before the IMS domain when the
 * driver unbinds.
 *
 * Context: Process context, from the driver's probe.
 * Return: 0 on success, a negative errno otherwise.
 */
int edu_ims_test_init(struct edu_ims *edu)
{
	struct device *dev = &edu->pdev->dev;
	struct edu_ims_test *test;

	test = devm_kzalloc(dev, sizeof(*test), GFP_KERNEL);
	if (!test)
		return -ENOMEM;

	test->edu = edu;
	mutex_init(&test->lock);
	init_waitqueue_head(&test->wait);

	test->dir = debugfs_create_dir(dev_name(dev), edu_test_root);
	debugfs_create_file("status", 0400, test->dir, test, &edu_status_fops);
	debugfs_create_file("test", 0200, test->dir, test, &edu_test_fops);
	edu->test = test;

	return devm_add_action_or_reset(dev, edu_test_remove, test);
}

/**
 * edu_ims_test_module_init - Create the debugfs directory of the test hooks
 *
 * Context: Process context, from module init, before any device probes.
 */
void edu_ims_test_module_init(void)
{
	edu_test_root = debugfs_create_dir("vfio-siov-edu", NULL);
}

/**
 * edu_ims_test_module_exit - Remove the debugfs directory of the test hooks
 *
 * Context: Process context, from module exit, after every device unbound.
 */
void edu_ims_test_module_exit(void)
{
	debugfs_remove(edu_test_root);
	edu_test_root = NULL;
}
