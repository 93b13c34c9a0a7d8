/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu SIOV reference driver: the virtual devices
 */
#ifndef EDU_SIOV_H
#define EDU_SIOV_H

#include <linux/auxiliary_bus.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct edu_ims;
struct edu_siov_teardown;

/* Auxiliary device name: vfio_siov_edu.vdev.<id> */
#define EDU_SIOV_ADEV_NAME	"vdev"
#define EDU_SIOV_MAX_ID		65535
/* Any free id (creation at probe) */
#define EDU_SIOV_ANY_ID		U32_MAX
#define EDU_SIOV_MAX_VECTORS	2048

/**
 * struct edu_siov_dev - A virtual device as its parent creates it
 * @adev:	The auxiliary device vfio_siov_edu.vdev.<id>, adev.id being the
 *		virtual device's id; the VFIO device is bound to it
 * @edu:	The parent; valid as long as @adev is registered
 * @nvec:	Number of MSI-X vectors; constant
 * @removing:	Removal has started: the id stays taken until @adev is
 *		deleted; edu_ims::vdev_lock
 * @remove_work: Removes the device when the parent unbinds, alongside the
 *		others
 * @teardown:	The parent unbind waiting for @remove_work; set with
 *		@removing
 *
 * Allocated and published by the parent (edu-siov.c), freed by the
 * release of @adev once the last reference is gone.
 */
struct edu_siov_dev {
	struct auxiliary_device	adev;
	struct edu_ims		*edu;
	unsigned int		nvec;
	bool			removing;
	struct work_struct	remove_work;
	struct edu_siov_teardown *teardown;
};

static inline struct edu_siov_dev *to_edu_siov_dev(struct auxiliary_device *adev)
{
	return container_of(adev, struct edu_siov_dev, adev);
}

int edu_siov_init(struct edu_ims *edu);
int edu_vdev_driver_register(void);
void edu_vdev_driver_unregister(void);

#endif /* EDU_SIOV_H */
