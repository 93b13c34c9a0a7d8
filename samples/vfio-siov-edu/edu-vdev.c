// SPDX-License-Identifier: GPL-2.0
/*
 * edu SIOV reference driver: the virtual device, a VFIO device
 *
 * The auxiliary driver of this file binds to the auxiliary devices
 * vfio_siov_edu.vdev.<id> the parent creates (edu-siov.c) and registers a
 * VFIO device on each, with an emulated IOMMU: the virtual device does no
 * DMA of its own. docs/siov-edu.rst is the contract; docs/siov-howto.rst
 * walks through this file.
 *
 * What is emulated here: a 256 byte config space with an MSI-X capability
 * and BAR0 with a few registers, the MSI-X table (storage only) and the
 * PBA. What is not: the interrupts. struct edu_vdev embeds a struct
 * vfio_pci_ims; GET_IRQ_INFO and SET_IRQS go to the VFIO interrupt
 * frontend, whose IMS backend allocates an IMS interrupt of the parent for
 * each MSI-X vector userspace gives an eventfd. Vector 0 is emulated: the
 * admin command's completion. A doorbell write asks the backend to send
 * the vector's message (vfio_pci_ims_send()), which calls back into
 * edu_vdev_ims_send() with the vector's IMS entry pinned to this device:
 * a doorbell can only ever reach the device's own IMS entries.
 *
 * Locking rules:
 *  - edu_vdev::lock (mutex) protects the emulated registers: config
 *    space, the MSI-X table and the counters. It is not held across calls
 *    into the interrupt frontend or while waiting for the DMA engine.
 *  - The interrupt state is the frontend's (vfio_pci_ims::intr.lock and
 *    its spinlocks); the IMS callbacks run under them and take neither
 *    edu_vdev::lock nor sleep in @send.
 *  - The parent (edu_vdev::edu) outlives the VFIO device: the parent
 *    deletes the auxiliary device, and so unregisters the VFIO device and
 *    waits for its user, before its own teardown.
 */
#include <linux/auxiliary_bus.h>
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/pci_ids.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>
#include <linux/vfio_pci_intr.h>

#include "edu-ims.h"
#include "edu-siov.h"

/* Config space */
#define EDU_VDEV_VENDOR_ID	0x1234
#define EDU_VDEV_DEVICE_ID	0x11e9
#define EDU_VDEV_MSIX_CAP	0x40

/* BAR0 */
#define EDU_VDEV_BAR_SIZE	SZ_64K
#define EDU_VDEV_VERSION	0x0000
#define EDU_VDEV_NVEC		0x0004
#define EDU_VDEV_DOORBELL	0x0008
#define EDU_VDEV_ADMIN		0x000c
#define EDU_VDEV_ADMIN_DONE	0x0010
#define EDU_VDEV_ID		0x0014
#define EDU_VDEV_FLUSH		0x0018
#define EDU_VDEV_DROPPED	0x001c
#define EDU_VDEV_NR_REGS	8
#define EDU_VDEV_MSIX_TABLE	0x1000
#define EDU_VDEV_MSIX_PBA	0x9000

#define EDU_VDEV_VERSION_1_0	0x00010000
/* Each MSI-X table entry: address low, address high, data, vector control */
#define EDU_VDEV_MSIX_WORDS	(PCI_MSIX_ENTRY_SIZE / sizeof(u32))
/* The admin command completes on this vector, emulated */
#define EDU_VDEV_ADMIN_VECTOR	0

/**
 * struct edu_vdev - A virtual device of an edu parent, as a VFIO device
 * @vdev:	The VFIO device
 * @ims:	Its MSI-X vectors, IMS entries of the parent but for the
 *		emulated @EDU_VDEV_ADMIN_VECTOR; GET_IRQ_INFO and SET_IRQS go
 *		to @ims.intr
 * @edu:	The parent; constant
 * @id:		The virtual device's id; constant
 * @lock:	Protects @cfg, @msix_table, @admin_done and @dropped
 * @cfg:	Config space
 * @msix_table:	MSI-X table, EDU_VDEV_MSIX_WORDS words per vector
 * @admin_done:	Admin commands completed since open or reset
 * @dropped:	Doorbells which sent nothing since open or reset
 */
struct edu_vdev {
	struct vfio_device	vdev;
	struct vfio_pci_ims	ims;
	struct edu_ims		*edu;
	u32			id;
	struct mutex		lock;	/* the emulated registers */
	u8			cfg[PCI_CFG_SPACE_SIZE];
	u32			*msix_table;
	u32			admin_done;
	u32			dropped;
};

static struct edu_vdev *to_edu_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct edu_vdev, vdev);
}

static struct edu_vdev *ims_to_edu_vdev(struct vfio_pci_ims *ims)
{
	return container_of(ims, struct edu_vdev, ims);
}

/* The IMS backend's device callbacks */

static int edu_vdev_ims_send(struct vfio_pci_ims *ims, unsigned int vector,
			     struct msi_map map)
{
	return edu_ims_fire(ims_to_edu_vdev(ims)->edu, map.index);
}

static void edu_vdev_ims_quiesce(struct vfio_pci_ims *ims, unsigned int vector,
				 struct msi_map map)
{
	edu_ims_quiesce_irq(ims_to_edu_vdev(ims)->edu, map.index);
}

static const struct vfio_pci_ims_ops edu_vdev_ims_ops = {
	.send		= edu_vdev_ims_send,
	.quiesce	= edu_vdev_ims_quiesce,
};

/* Config space */

/* Writable bits; everything else is read-only */
static const u8 edu_vdev_cfg_wmask[PCI_CFG_SPACE_SIZE] = {
	[PCI_COMMAND]				= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
	/* BAR0: 64 KiB, so address bits 31:16 */
	[PCI_BASE_ADDRESS_0 + 2]		= 0xff,
	[PCI_BASE_ADDRESS_0 + 3]		= 0xff,
	[EDU_VDEV_MSIX_CAP + PCI_MSIX_FLAGS + 1] =
		(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL) >> 8,
};

static void edu_vdev_cfg_init_locked(struct edu_vdev *ev)
{
	u8 *cfg = ev->cfg;

	lockdep_assert_held(&ev->lock);

	memset(cfg, 0, sizeof(ev->cfg));
	put_unaligned_le16(EDU_VDEV_VENDOR_ID, cfg + PCI_VENDOR_ID);
	put_unaligned_le16(EDU_VDEV_DEVICE_ID, cfg + PCI_DEVICE_ID);
	put_unaligned_le16(PCI_STATUS_CAP_LIST, cfg + PCI_STATUS);
	/* Revision 0, class: other */
	put_unaligned_le32(PCI_CLASS_OTHERS << 24, cfg + PCI_CLASS_REVISION);
	/* BAR0: 32-bit memory, address 0 */
	put_unaligned_le32(PCI_BASE_ADDRESS_SPACE_MEMORY | PCI_BASE_ADDRESS_MEM_TYPE_32,
			   cfg + PCI_BASE_ADDRESS_0);
	put_unaligned_le16(PCI_SUBVENDOR_ID_REDHAT_QUMRANET, cfg + PCI_SUBSYSTEM_VENDOR_ID);
	put_unaligned_le16(PCI_SUBDEVICE_ID_QEMU, cfg + PCI_SUBSYSTEM_ID);
	cfg[PCI_CAPABILITY_LIST] = EDU_VDEV_MSIX_CAP;

	cfg[EDU_VDEV_MSIX_CAP + PCI_CAP_LIST_ID] = PCI_CAP_ID_MSIX;
	cfg[EDU_VDEV_MSIX_CAP + PCI_CAP_LIST_NEXT] = 0;
	put_unaligned_le16(ev->ims.nvec - 1, cfg + EDU_VDEV_MSIX_CAP + PCI_MSIX_FLAGS);
	put_unaligned_le32(EDU_VDEV_MSIX_TABLE, cfg + EDU_VDEV_MSIX_CAP + PCI_MSIX_TABLE);
	put_unaligned_le32(EDU_VDEV_MSIX_PBA, cfg + EDU_VDEV_MSIX_CAP + PCI_MSIX_PBA);
}

static u32 edu_vdev_cfg_read(struct edu_vdev *ev, u32 off, unsigned int len)
{
	unsigned int i;
	u32 val = 0;

	guard(mutex)(&ev->lock);
	for (i = 0; i < len; i++)
		val |= (u32)ev->cfg[off + i] << (8 * i);
	return val;
}

static void edu_vdev_cfg_write(struct edu_vdev *ev, u32 off, unsigned int len, u32 val)
{
	unsigned int i;

	guard(mutex)(&ev->lock);
	for (i = 0; i < len; i++, val >>= 8) {
		u8 wmask = edu_vdev_cfg_wmask[off + i];

		ev->cfg[off + i] = (ev->cfg[off + i] & ~wmask) | (val & wmask);
	}
}

/* BAR0 registers */

static u32 edu_vdev_version_read(struct edu_vdev *ev)
{
	return EDU_VDEV_VERSION_1_0;
}

static u32 edu_vdev_nvec_read(struct edu_vdev *ev)
{
	return ev->ims.nvec;
}

static void edu_vdev_doorbell_write(struct edu_vdev *ev, u32 vector)
{
	/* The backend checks that @vector has an IMS entry of this device */
	if (vfio_pci_ims_send(&ev->ims, vector)) {
		guard(mutex)(&ev->lock);
		ev->dropped++;
	}
}

static void edu_vdev_admin_write(struct edu_vdev *ev, u32 cmd)
{
	/* The command completes at once: count it, then raise its interrupt */
	scoped_guard(mutex, &ev->lock)
		ev->admin_done++;
	vfio_pci_ims_send(&ev->ims, EDU_VDEV_ADMIN_VECTOR);
}

static u32 edu_vdev_admin_done_read(struct edu_vdev *ev)
{
	guard(mutex)(&ev->lock);
	return ev->admin_done;
}

static u32 edu_vdev_id_read(struct edu_vdev *ev)
{
	return ev->id;
}

static u32 edu_vdev_flush_read(struct edu_vdev *ev)
{
	/* Every message queued by an earlier doorbell has been sent */
	edu_ims_quiesce(ev->edu);
	return 0;
}

static u32 edu_vdev_dropped_read(struct edu_vdev *ev)
{
	guard(mutex)(&ev->lock);
	return ev->dropped;
}

/**
 * struct edu_vdev_reg - A register of BAR0 below the MSI-X table
 * @read:	Its value; NULL: reads 0
 * @write:	Its action; NULL: writes are ignored
 */
struct edu_vdev_reg {
	u32	(*read)(struct edu_vdev *ev);
	void	(*write)(struct edu_vdev *ev, u32 val);
};

static const struct edu_vdev_reg edu_vdev_regs[EDU_VDEV_NR_REGS] = {
	[EDU_VDEV_VERSION / 4]		= { .read = edu_vdev_version_read },
	[EDU_VDEV_NVEC / 4]		= { .read = edu_vdev_nvec_read },
	[EDU_VDEV_DOORBELL / 4]		= { .write = edu_vdev_doorbell_write },
	[EDU_VDEV_ADMIN / 4]		= { .write = edu_vdev_admin_write },
	[EDU_VDEV_ADMIN_DONE / 4]	= { .read = edu_vdev_admin_done_read },
	[EDU_VDEV_ID / 4]		= { .read = edu_vdev_id_read },
	[EDU_VDEV_FLUSH / 4]		= { .read = edu_vdev_flush_read },
	[EDU_VDEV_DROPPED / 4]		= { .read = edu_vdev_dropped_read },
};

static bool edu_vdev_in_table(struct edu_vdev *ev, u32 off)
{
	return off >= EDU_VDEV_MSIX_TABLE &&
	       off < EDU_VDEV_MSIX_TABLE + ev->ims.nvec * PCI_MSIX_ENTRY_SIZE;
}

static bool edu_vdev_in_pba(struct edu_vdev *ev, u32 off)
{
	return off >= EDU_VDEV_MSIX_PBA &&
	       off < EDU_VDEV_MSIX_PBA + DIV_ROUND_UP(ev->ims.nvec, 32) * sizeof(u32);
}

/* Bit k of PBA word @word: vector 32 * @word + k is pending */
static u32 edu_vdev_pba_read(struct edu_vdev *ev, unsigned int word)
{
	unsigned int first = word * 32, last = min(first + 32, ev->ims.nvec);
	unsigned int vector;
	u32 val = 0;

	for (vector = first; vector < last; vector++)
		if (vfio_pci_intr_vector_pending(&ev->ims.intr, vector))
			val |= BIT(vector - first);
	return val;
}

static u32 edu_vdev_bar_read(struct edu_vdev *ev, u32 off, unsigned int len)
{
	if (off < EDU_VDEV_NR_REGS * sizeof(u32)) {
		const struct edu_vdev_reg *reg = &edu_vdev_regs[off / sizeof(u32)];

		return reg->read ? reg->read(ev) : 0;
	}
	if (edu_vdev_in_table(ev, off)) {
		guard(mutex)(&ev->lock);
		return ev->msix_table[(off - EDU_VDEV_MSIX_TABLE) / sizeof(u32)];
	}
	if (edu_vdev_in_pba(ev, off))
		return edu_vdev_pba_read(ev, (off - EDU_VDEV_MSIX_PBA) / sizeof(u32));
	return 0;
}

static void edu_vdev_bar_write(struct edu_vdev *ev, u32 off, unsigned int len, u32 val)
{
	if (off < EDU_VDEV_NR_REGS * sizeof(u32)) {
		const struct edu_vdev_reg *reg = &edu_vdev_regs[off / sizeof(u32)];

		if (reg->write)
			reg->write(ev, val);
	} else if (edu_vdev_in_table(ev, off)) {
		guard(mutex)(&ev->lock);
		ev->msix_table[(off - EDU_VDEV_MSIX_TABLE) / sizeof(u32)] = val;
	}
}

/* Regions */

/**
 * struct edu_vdev_region - A region of the VFIO device
 * @size:	Its size; 0: the region is absent
 * @widths:	Access widths allowed, BIT(width in bytes); naturally aligned
 * @read:	Read @len bytes at @off, little-endian
 * @write:	Write @len bytes at @off, little-endian
 */
struct edu_vdev_region {
	u32	size;
	u32	widths;
	u32	(*read)(struct edu_vdev *ev, u32 off, unsigned int len);
	void	(*write)(struct edu_vdev *ev, u32 off, unsigned int len, u32 val);
};

static const struct edu_vdev_region edu_vdev_regions[VFIO_PCI_NUM_REGIONS] = {
	[VFIO_PCI_CONFIG_REGION_INDEX] = {
		.size	= PCI_CFG_SPACE_SIZE,
		.widths	= BIT(1) | BIT(2) | BIT(4),
		.read	= edu_vdev_cfg_read,
		.write	= edu_vdev_cfg_write,
	},
	[VFIO_PCI_BAR0_REGION_INDEX] = {
		.size	= EDU_VDEV_BAR_SIZE,
		.widths	= BIT(4),
		.read	= edu_vdev_bar_read,
		.write	= edu_vdev_bar_write,
	},
};

/* The region of an access at @pos of @count bytes, and the offset in it */
static const struct edu_vdev_region *edu_vdev_access(loff_t pos, size_t count, u32 *off)
{
	u64 index = VFIO_PCI_OFFSET_TO_INDEX(pos);
	u64 offset = pos & VFIO_PCI_OFFSET_MASK;
	const struct edu_vdev_region *region;

	if (pos < 0 || index >= ARRAY_SIZE(edu_vdev_regions))
		return NULL;
	region = &edu_vdev_regions[index];
	if (count > sizeof(u32) || !(region->widths & BIT(count)) ||
	    !IS_ALIGNED(offset, count) || offset >= region->size)
		return NULL;

	*off = offset;
	return region;
}

static ssize_t edu_vdev_read(struct vfio_device *vdev, char __user *buf,
			     size_t count, loff_t *ppos)
{
	const struct edu_vdev_region *region;
	__le32 val;
	u32 off;

	region = edu_vdev_access(*ppos, count, &off);
	if (!region)
		return -EINVAL;

	val = cpu_to_le32(region->read(to_edu_vdev(vdev), off, count));
	if (copy_to_user(buf, &val, count))
		return -EFAULT;
	*ppos += count;
	return count;
}

static ssize_t edu_vdev_write(struct vfio_device *vdev, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	const struct edu_vdev_region *region;
	__le32 val = 0;
	u32 off;

	region = edu_vdev_access(*ppos, count, &off);
	if (!region)
		return -EINVAL;

	if (copy_from_user(&val, buf, count))
		return -EFAULT;
	region->write(to_edu_vdev(vdev), off, count, le32_to_cpu(val));
	*ppos += count;
	return count;
}

static int edu_vdev_get_region_info(struct vfio_device *vdev,
				    struct vfio_region_info *info,
				    struct vfio_info_cap *caps)
{
	const struct edu_vdev_region *region;

	if (info->index >= ARRAY_SIZE(edu_vdev_regions))
		return -EINVAL;
	region = &edu_vdev_regions[info->index];

	info->offset = VFIO_PCI_INDEX_TO_OFFSET(info->index);
	info->size = region->size;
	info->flags = region->size ? VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE : 0;
	return 0;
}

/* Device state */

/* What VFIO_DEVICE_RESET resets: not config space, not the interrupts */
static void edu_vdev_reset_locked(struct edu_vdev *ev)
{
	lockdep_assert_held(&ev->lock);

	ev->admin_done = 0;
	ev->dropped = 0;
	memset(ev->msix_table, 0,
	       array_size(ev->ims.nvec, PCI_MSIX_ENTRY_SIZE));
}

static int edu_vdev_get_info(struct edu_vdev *ev, struct vfio_device_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long edu_vdev_ioctl(struct vfio_device *vdev, unsigned int cmd, unsigned long arg)
{
	struct edu_vdev *ev = to_edu_vdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return edu_vdev_get_info(ev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vfio_pci_intr_get_irq_info(&ev->ims.intr, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return vfio_pci_intr_set_irqs_ioctl(&ev->ims.intr, uarg);
	case VFIO_DEVICE_RESET:
		scoped_guard(mutex, &ev->lock)
			edu_vdev_reset_locked(ev);
		return 0;
	default:
		return -ENOTTY;
	}
}

static int edu_vdev_open_device(struct vfio_device *vdev)
{
	struct edu_vdev *ev = to_edu_vdev(vdev);

	/* A fresh device for every user */
	guard(mutex)(&ev->lock);
	edu_vdev_cfg_init_locked(ev);
	edu_vdev_reset_locked(ev);
	return 0;
}

static void edu_vdev_close_device(struct vfio_device *vdev)
{
	struct edu_vdev *ev = to_edu_vdev(vdev);

	/* Every vector off: the IMS entries go back to the parent */
	vfio_pci_intr_disable_all(&ev->ims.intr);
}

static void edu_vdev_request(struct vfio_device *vdev, unsigned int count)
{
	struct edu_vdev *ev = to_edu_vdev(vdev);

	if (vfio_pci_intr_signal_req(&ev->ims.intr))
		dev_notice_ratelimited(vdev->dev, "asking the user to release the device (%u)\n",
				       count);
	else if (!count)
		dev_notice(vdev->dev, "no REQ eventfd: waiting until the user closes the device\n");
}

static int edu_vdev_init(struct vfio_device *vdev)
{
	struct edu_siov_dev *sdev = to_edu_siov_dev(to_auxiliary_dev(vdev->dev));
	union msi_instance_cookie icookie = { .value = sdev->adev.id };
	struct edu_vdev *ev = to_edu_vdev(vdev);
	int ret;

	ev->edu = sdev->edu;
	ev->id = sdev->adev.id;
	mutex_init(&ev->lock);

	ev->msix_table = kcalloc(sdev->nvec, PCI_MSIX_ENTRY_SIZE, GFP_KERNEL);
	if (!ev->msix_table) {
		ret = -ENOMEM;
		goto err_mutex;
	}

	ret = vfio_pci_ims_init(&ev->ims, ev->edu->pdev, dev_name(&sdev->adev.dev),
				sdev->nvec, &edu_vdev_ims_ops);
	if (ret)
		goto err_table;

	/* IMS entries carry the virtual device's id; the admin vector has none */
	vfio_pci_ims_set_default_cookie(&ev->ims, &icookie);
	ret = vfio_pci_ims_set_emulated(&ev->ims, EDU_VDEV_ADMIN_VECTOR, true);
	if (ret)
		goto err_ims;

	scoped_guard(mutex, &ev->lock)
		edu_vdev_cfg_init_locked(ev);
	return 0;

err_ims:
	vfio_pci_ims_destroy(&ev->ims);
err_table:
	kfree(ev->msix_table);
err_mutex:
	mutex_destroy(&ev->lock);
	return ret;
}

static void edu_vdev_release(struct vfio_device *vdev)
{
	struct edu_vdev *ev = to_edu_vdev(vdev);

	vfio_pci_ims_destroy(&ev->ims);
	kfree(ev->msix_table);
	mutex_destroy(&ev->lock);
}

static const struct vfio_device_ops edu_vdev_ops = {
	.name			= "vfio-siov-edu",
	.init			= edu_vdev_init,
	.release		= edu_vdev_release,
	.bind_iommufd		= vfio_iommufd_emulated_bind,
	.unbind_iommufd		= vfio_iommufd_emulated_unbind,
	.attach_ioas		= vfio_iommufd_emulated_attach_ioas,
	.detach_ioas		= vfio_iommufd_emulated_detach_ioas,
	.open_device		= edu_vdev_open_device,
	.close_device		= edu_vdev_close_device,
	.read			= edu_vdev_read,
	.write			= edu_vdev_write,
	.ioctl			= edu_vdev_ioctl,
	.get_region_info_caps	= edu_vdev_get_region_info,
	.request		= edu_vdev_request,
};

/* The auxiliary driver */

static int edu_vdev_probe(struct auxiliary_device *adev,
			  const struct auxiliary_device_id *id)
{
	struct edu_vdev *ev;
	int ret;

	ev = vfio_alloc_device(edu_vdev, vdev, &adev->dev, &edu_vdev_ops);
	if (IS_ERR(ev))
		return PTR_ERR(ev);

	auxiliary_set_drvdata(adev, ev);
	ret = vfio_register_emulated_iommu_dev(&ev->vdev);
	if (ret) {
		auxiliary_set_drvdata(adev, NULL);
		vfio_put_device(&ev->vdev);
	}
	return ret;
}

static void edu_vdev_remove(struct auxiliary_device *adev)
{
	struct edu_vdev *ev = auxiliary_get_drvdata(adev);

	/* Signals REQ (edu_vdev_request()) until the user closed the device */
	vfio_unregister_group_dev(&ev->vdev);
	vfio_put_device(&ev->vdev);
}

static const struct auxiliary_device_id edu_vdev_ids[] = {
	{ .name = KBUILD_MODNAME "." EDU_SIOV_ADEV_NAME },
	{ }
};
MODULE_DEVICE_TABLE(auxiliary, edu_vdev_ids);

static struct auxiliary_driver edu_vdev_driver = {
	.name		= EDU_SIOV_ADEV_NAME,
	.probe		= edu_vdev_probe,
	.remove		= edu_vdev_remove,
	.id_table	= edu_vdev_ids,
};

/**
 * edu_vdev_driver_register - Register the virtual devices' driver
 *
 * Context: Process context, module init.
 * Return: 0 on success, a negative errno otherwise.
 */
int edu_vdev_driver_register(void)
{
	return auxiliary_driver_register(&edu_vdev_driver);
}

/**
 * edu_vdev_driver_unregister - Unregister the virtual devices' driver
 *
 * Context: Process context, module exit, once no parent is bound.
 */
void edu_vdev_driver_unregister(void)
{
	auxiliary_driver_unregister(&edu_vdev_driver);
}
