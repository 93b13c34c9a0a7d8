// SPDX-License-Identifier: GPL-2.0
/*
 * edu SIOV reference driver: the parent's side of the virtual devices
 *
 * An edu device with an IMS domain hands out virtual devices. Each is an
 * auxiliary device vfio_siov_edu.vdev.<id>, a child of the PCI device, to
 * which the virtual device driver of this module (edu-vdev.c) binds and
 * registers a VFIO device. This file creates and removes them: through
 * the sysfs group siov/ of the PCI device (create, remove, vdevs), through
 * the module parameters vdevs and vectors at probe, and all of them when
 * the parent unbinds. docs/siov-edu.rst is the contract.
 *
 * Removing a virtual device unbinds its VFIO device, then deletes its
 * auxiliary device: vfio_unregister_group_dev() signals the user's REQ
 * eventfd and waits until the device is closed. So removal can block for
 * as long as the user keeps the device open; the auxiliary device stays
 * visible until then.
 *
 * Locking rules:
 *  - edu_ims::vdev_lock (mutex) protects edu_ims::vdevs and
 *    edu_siov_dev::removing. Creation holds it throughout, so an id is
 *    never seen half created. Removal takes it to claim the device and
 *    again to free its id, but never while it waits for the user: a
 *    blocked removal does not hold up the others.
 *  - Ids are global, since they name the auxiliary devices: edu_siov_ids
 *    (the xarray's own lock) holds every parent's. An id stays in it and
 *    in edu_ims::vdevs until its auxiliary device is deleted, so an id
 *    being removed cannot be created again, by this parent or another
 *    (which would clash with the old device's name).
 *  - Parent unbind: the sysfs group is removed first, which waits for the
 *    create and remove writes in progress, then every remaining virtual
 *    device is removed, then the IMS domain goes (devm order, set up in
 *    edu_siov_init()). Nothing can create a device after teardown started.
 *    The devices are removed in parallel, each by its own work item
 *    (edu_siov_dev::remove_work), so every user is asked at once.
 */
#include <linux/atomic.h>
#include <linux/auxiliary_bus.h>
#include <linux/cleanup.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "edu-ims.h"
#include "edu-siov.h"

static unsigned int vdevs;
module_param(vdevs, uint, 0444);
MODULE_PARM_DESC(vdevs, "Virtual devices created at probe, with the lowest free ids (default 0)");

static unsigned int vectors = 8;
module_param(vectors, uint, 0444);
MODULE_PARM_DESC(vectors, "MSI-X vectors of the virtual devices created at probe (default 8)");

/* The ids of every parent's virtual devices, each entry the parent */
static DEFINE_XARRAY_ALLOC(edu_siov_ids);

static void edu_siov_put_id(struct edu_ims *edu, u32 id)
{
	scoped_guard(mutex, &edu->vdev_lock)
		xa_erase(&edu->vdevs, id);
	xa_erase(&edu_siov_ids, id);
}

static void edu_siov_dev_release(struct device *dev)
{
	kfree(to_edu_siov_dev(to_auxiliary_dev(dev)));
}

/* Delete a device marked removing: blocks until its user closed it */
static void edu_siov_destroy(struct edu_ims *edu, struct edu_siov_dev *sdev)
{
	/*
	 * Unbind the VFIO device first, as PCI removal stops a device before
	 * it deletes it: the device stays in sysfs while its user is asked to
	 * release it (REQ) and until it did.
	 */
	device_release_driver(&sdev->adev.dev);
	auxiliary_device_delete(&sdev->adev);
	edu_siov_put_id(edu, sdev->adev.id);
	auxiliary_device_uninit(&sdev->adev);
}

/**
 * struct edu_siov_teardown - The virtual devices a parent unbind waits for
 * @pending:	Removals not finished, plus one while they are being started
 * @done:	Completed when the last one finished
 */
struct edu_siov_teardown {
	atomic_t		pending;
	struct completion	done;
};

static void edu_siov_remove_work(struct work_struct *work)
{
	struct edu_siov_dev *sdev = container_of(work, struct edu_siov_dev, remove_work);
	struct edu_siov_teardown *teardown = sdev->teardown;

	/* Frees @sdev */
	edu_siov_destroy(sdev->edu, sdev);
	if (atomic_dec_and_test(&teardown->pending))
		complete(&teardown->done);
}

/* Take @id, or the lowest free id if @id is EDU_SIOV_ANY_ID, for @edu */
static int edu_siov_get_id(struct edu_ims *edu, u32 *id)
{
	int ret;

	if (*id == EDU_SIOV_ANY_ID) {
		ret = xa_alloc(&edu_siov_ids, id, edu, XA_LIMIT(0, EDU_SIOV_MAX_ID),
			       GFP_KERNEL);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	ret = xa_insert(&edu_siov_ids, *id, edu, GFP_KERNEL);
	return ret == -EBUSY ? -EEXIST : ret;
}

static int edu_siov_create_locked(struct edu_ims *edu, u32 id, unsigned int nvec)
{
	struct edu_siov_dev *sdev;
	bool bound;
	int ret;

	lockdep_assert_held(&edu->vdev_lock);

	if (edu->ims_status)
		return -EOPNOTSUPP;
	if ((id > EDU_SIOV_MAX_ID && id != EDU_SIOV_ANY_ID) || !nvec ||
	    nvec > EDU_SIOV_MAX_VECTORS)
		return -EINVAL;

	struct edu_siov_dev *new __free(kfree) = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	ret = edu_siov_get_id(edu, &id);
	if (ret)
		return ret;
	ret = xa_insert(&edu->vdevs, id, new, GFP_KERNEL);
	if (ret) {
		xa_erase(&edu_siov_ids, id);
		return ret;
	}

	new->edu = edu;
	new->nvec = nvec;
	new->adev.name = EDU_SIOV_ADEV_NAME;
	new->adev.id = id;
	new->adev.dev.parent = &edu->pdev->dev;
	new->adev.dev.release = edu_siov_dev_release;
	INIT_WORK(&new->remove_work, edu_siov_remove_work);

	ret = auxiliary_device_init(&new->adev);
	if (ret) {
		xa_erase(&edu->vdevs, id);
		xa_erase(&edu_siov_ids, id);
		return ret;
	}
	/* From here on the device's release frees it */
	sdev = no_free_ptr(new);

	/* Binds the virtual device driver, which registers the VFIO device */
	ret = auxiliary_device_add(&sdev->adev);
	if (ret)
		goto err_uninit;

	/* A probe that failed leaves a device without a VFIO device */
	scoped_guard(device, &sdev->adev.dev)
		bound = device_is_bound(&sdev->adev.dev);
	if (!bound) {
		ret = -ENODEV;
		auxiliary_device_delete(&sdev->adev);
		goto err_uninit;
	}
	return 0;

err_uninit:
	xa_erase(&edu->vdevs, id);
	xa_erase(&edu_siov_ids, id);
	auxiliary_device_uninit(&sdev->adev);
	return ret;
}

static int edu_siov_remove(struct edu_ims *edu, u32 id)
{
	struct edu_siov_dev *sdev;

	scoped_guard(mutex, &edu->vdev_lock) {
		sdev = xa_load(&edu->vdevs, id);
		if (!sdev || sdev->removing)
			return -ENODEV;
		sdev->removing = true;
	}
	edu_siov_destroy(edu, sdev);
	return 0;
}

/*
 * Parent unbind: the sysfs group is gone, nothing creates or removes a
 * device any more. Remove them all at once, so that the user of every open
 * one gets its REQ now rather than after the others were closed.
 */
static void edu_siov_remove_all(void *data)
{
	struct edu_siov_teardown teardown = { .pending = ATOMIC_INIT(1) };
	struct edu_ims *edu = data;
	struct edu_siov_dev *sdev;
	unsigned long id;

	init_completion(&teardown.done);
	scoped_guard(mutex, &edu->vdev_lock) {
		xa_for_each(&edu->vdevs, id, sdev) {
			sdev->removing = true;
			sdev->teardown = &teardown;
			atomic_inc(&teardown.pending);
			queue_work(system_dfl_long_wq, &sdev->remove_work);
		}
	}
	if (!atomic_dec_and_test(&teardown.pending))
		wait_for_completion(&teardown.done);
	xa_destroy(&edu->vdevs);
}

/* sysfs: siov/create, siov/remove, siov/vdevs */

static struct edu_ims *edu_siov_from_dev(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

static ssize_t create_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct edu_ims *edu = edu_siov_from_dev(dev);
	unsigned int nvec;
	char *args, *arg;
	u32 id;
	int ret;

	char *str __free(kfree) = kstrndup(buf, count, GFP_KERNEL);
	if (!str)
		return -ENOMEM;

	/* "<id> <nvec>" */
	args = strim(str);
	arg = strsep(&args, " ");
	if (!args || kstrtou32(arg, 10, &id) || kstrtouint(skip_spaces(args), 10, &nvec) ||
	    id > EDU_SIOV_MAX_ID)
		return -EINVAL;

	scoped_guard(mutex, &edu->vdev_lock)
		ret = edu_siov_create_locked(edu, id, nvec);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(create);

static ssize_t remove_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	u32 id;
	int ret;

	ret = kstrtou32(buf, 10, &id);
	if (ret)
		return ret;

	ret = edu_siov_remove(edu_siov_from_dev(dev), id);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(remove);

static ssize_t vdevs_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct edu_ims *edu = edu_siov_from_dev(dev);
	struct edu_siov_dev *sdev;
	unsigned long id;
	int len = 0;

	guard(mutex)(&edu->vdev_lock);
	xa_for_each(&edu->vdevs, id, sdev)
		len += sysfs_emit_at(buf, len, "%lu %u\n", id, sdev->nvec);
	return len;
}
static DEVICE_ATTR_RO(vdevs);

static struct attribute *edu_siov_attrs[] = {
	&dev_attr_create.attr,
	&dev_attr_remove.attr,
	&dev_attr_vdevs.attr,
	NULL
};

static const struct attribute_group edu_siov_group = {
	.name	= "siov",
	.attrs	= edu_siov_attrs,
};

/**
 * edu_siov_init - Set up the virtual devices of an edu device
 * @edu:	The edu device, being probed, with its IMS domain (or
 *		edu_ims::ims_status telling why there is none)
 *
 * Creates the virtual devices the module parameters ask for and the sysfs
 * group siov/. Both are device managed: when the parent unbinds, the sysfs
 * group goes first, then every virtual device (each waiting until its
 * user closed it), then whatever was set up before this call, the IMS
 * domain included.
 *
 * Context: Process context, from the driver's probe.
 * Return: 0 on success, a negative errno otherwise.
 */
int edu_siov_init(struct edu_ims *edu)
{
	struct device *dev = &edu->pdev->dev;
	unsigned int i;
	int ret;

	ret = devm_add_action_or_reset(dev, edu_siov_remove_all, edu);
	if (ret)
		return ret;

	if (vdevs && edu->ims_status)
		dev_warn(dev, "no IMS: virtual devices not created\n");
	else if (vdevs > EDU_SIOV_MAX_ID + 1)
		return dev_err_probe(dev, -EINVAL, "vdevs=%u: at most %u\n",
				     vdevs, EDU_SIOV_MAX_ID + 1);

	for (i = 0; i < vdevs && !edu->ims_status; i++) {
		scoped_guard(mutex, &edu->vdev_lock)
			ret = edu_siov_create_locked(edu, EDU_SIOV_ANY_ID, vectors);
		if (ret)
			return dev_err_probe(dev, ret, "virtual device %u of %u\n", i + 1,
					     vdevs);
	}

	return devm_device_add_group(dev, &edu_siov_group);
}
