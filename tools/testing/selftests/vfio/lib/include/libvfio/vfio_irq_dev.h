/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_VFIO_IRQ_DEV_H
#define SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_VFIO_IRQ_DEV_H

#include <stdbool.h>

#include <linux/types.h>
#include <linux/vfio.h>

/*
 * Interrupt test devices: one descriptor per kind of device the hardening
 * tests (fuzzer, races, fault injection) drive through the VFIO interrupt
 * uAPI.  A device is opened through its VFIO group with a type1 container
 * (PCI devices, mdev) or through its cdev bound to an iommufd (virtual
 * devices of the edu SIOV driver) and accessed with pread()/pwrite() only
 * (no BAR mmap), so that closing the device fd really closes the device.
 *
 * Adding a device kind is one entry in irq_dev_kinds[] (vfio_irq_dev.c):
 * how to find or create it, how to program it after open and reset, and how
 * to make it raise a vector.
 */

struct irq_dev;
struct iommu;

/* Vectors of the virtual device of the vdev kind */
#define IRQ_DEV_VDEV_NVEC	8

/**
 * struct irq_dev_kind - how to drive one kind of device
 * @name: kind name, as given on the test command line
 * @attach: find (from @arg, a PCI address) or create (mdev; virtual device
 *	    of the edu parent @arg) the device and fill @dev->name and
 *	    @dev->group_path, or @dev->cdev_path to open it through its cdev;
 *	    0 or -errno
 * @detach: undo @attach (remove a created mdev or virtual device, give the
 *	    parent back to its driver)
 * @setup: program the device through its fd @fd after every open and reset
 *	   so that @fire works
 * @fire: make the device raise vector @vector of @index (through @fd);
 *	  false if the device cannot raise that one
 * @sync: every interrupt @fire raised so far has been handled by the host
 *	  (delivered, or latched for a masked vector); NULL if @fire alone
 *	  does not leave a message in flight the tests must wait for
 * @pending: the pending bit (MSI-X PBA) of @vector of @index; NULL if the
 *	     device has none the tests can read
 * @slow_fire_div: a fire of a vector other than 0 is slow (a DMA): the
 *		   fuzzer tries one in this many; 0 or 1: every one
 * @fire_indexes: bit i set: @fire can raise vectors of index i
 * @quiesce: deassert a level-triggered interrupt raised by @fire
 * @sync_fire: the eventfd is signalled before @fire returns (emulated)
 * @intx_latch: an INTx raised while masked is latched and delivered once at
 *		unmask (emulated INTx); otherwise @quiesce drops it
 * @virt_disintx: PCI_COMMAND_INTX_DISABLE writes reach the frontend
 * @host_irqs: enabled vectors are host interrupts named
 *	       vfio-<index>[<vector>](<name>) in /proc/interrupts
 * @msix_irq_name: the <index> part of MSI-X host interrupt names if not
 *		   "msix" (virtual device: "ims-msix")
 * @emulated_vectors: bit v: MSI-X vector v (< 32) is emulated, no host
 *		      interrupt
 * @enable0_errno: result of enabling MSI/MSI-X for 0 vectors
 * @maskable_msix: MSI-X MASK/UNMASK per vector (virtual MSI-X)
 */
struct irq_dev_kind {
	const char *name;
	int (*attach)(struct irq_dev *dev, const char *arg);
	void (*detach)(struct irq_dev *dev);
	void (*setup)(struct irq_dev *dev, int fd);
	bool (*fire)(struct irq_dev *dev, int fd, u32 index, u32 vector);
	void (*sync)(struct irq_dev *dev, int fd);
	bool (*pending)(struct irq_dev *dev, int fd, u32 index, u32 vector);
	u32 slow_fire_div;
	u32 fire_indexes;
	void (*quiesce)(struct irq_dev *dev, int fd);
	bool sync_fire;
	bool intx_latch;
	bool virt_disintx;
	bool host_irqs;
	const char *msix_irq_name;
	u32 emulated_vectors;
	int enable0_errno;
	bool maskable_msix;
};

/**
 * struct irq_dev - an open test device
 * @kind: its descriptor
 * @name: VFIO device name (PCI address or mdev uuid), also the suffix of its
 *	  host interrupt names
 * @group_path: /dev/vfio/<group>
 * @cdev_path: /dev/vfio/devices/vfioN if opened through its cdev, else ""
 * @iommu: the iommufd and IOAS every fd of the cdev is bound to (cdev)
 * @container: type1 container fd, -1 for a cdev
 * @group: group fd, -1 for a cdev
 * @fd: device fd, -1 while closed
 * @bar0: region offset of BAR0
 * @config: region offset of config space
 * @msi_cap: config offset of the MSI capability, 0 if none
 * @msix_cap: config offset of the MSI-X capability, 0 if none
 * @info_ret: result of GET_IRQ_INFO of each index at open
 * @info: GET_IRQ_INFO of each index at open
 * @created: @attach created the device (mdev, virtual device)
 * @parent: PCI address of the parent (virtual device)
 * @parent_driver: the driver the parent had before @attach, "" if none
 * @vdev_id: id of the virtual device on its parent
 * @bound: @attach rebound the parent to vfio-siov-edu
 * @racy: other threads may close the fd or reset the device under a register
 *	  access: an access that finds the fd closed (EBADF), memory decode
 *	  off (EIO) or, for a cdev, its number reused by a new fd not bound
 *	  yet (EINVAL) is ignored instead of asserting
 */
struct irq_dev {
	const struct irq_dev_kind *kind;
	char name[64];
	char group_path[64];
	char cdev_path[64];
	struct iommu *iommu;
	int container;
	int group;
	int fd;
	u64 bar0;
	u64 config;
	u8 msi_cap;
	u8 msix_cap;
	int info_ret[VFIO_PCI_NUM_IRQS];
	struct vfio_irq_info info[VFIO_PCI_NUM_IRQS];
	bool created;
	char parent[32];
	char parent_driver[64];
	int vdev_id;
	bool bound;
	bool racy;
};

const struct irq_dev_kind *irq_dev_kind_find(const char *name);

/* Attach and open @kind (arg: PCI address for PCI kinds); asserts. */
void irq_dev_open(struct irq_dev *dev, const char *kind, const char *arg);
/*
 * After every open of a device fd: memory and bus master on, virtual INTx
 * disable off, then the kind's setup.
 */
void irq_dev_init_fd(struct irq_dev *dev, int fd);
/* Open another fd of the device; returns it or -errno. */
int irq_dev_open_fd(struct irq_dev *dev);
/* Close the device fd (if open), the group and container; detach. */
void irq_dev_close(struct irq_dev *dev);

/* Number of vectors of @index (0 if GET_IRQ_INFO failed at open). */
u32 irq_dev_count(const struct irq_dev *dev, u32 index);

/* Register and config accesses through the device fd @fd; assert. */
void irq_dev_bar0_write(struct irq_dev *dev, int fd, u64 off, u32 val,
			int size);
u32 irq_dev_bar0_read(struct irq_dev *dev, int fd, u64 off, int size);
void irq_dev_config_write(struct irq_dev *dev, int fd, u64 off, u32 val,
			  int size);
u32 irq_dev_config_read(struct irq_dev *dev, int fd, u64 off, int size);

/* VFIO_DEVICE_RESET on @fd: 0 or -errno. */
int irq_dev_reset(int fd);

/*
 * /proc/interrupts: fills @names (NUL-separated, size @size) with the
 * host interrupt names that end in "(<dev->name>)" and returns how many;
 * irq_proc_lines() does the same for every line (IRQ number and
 * description, counts left out) to compare whole snapshots.
 */
int irq_proc_dev_names(const struct irq_dev *dev, char *names, size_t size);
int irq_proc_lines(char *buf, size_t size);

/* Times host interrupt @name fired (all CPUs), -1 if it is not requested. */
long irq_proc_count(const char *name);

/* @vector of @index on @dev is a host interrupt when enabled. */
bool irq_dev_host_vector(const struct irq_dev *dev, u32 index, u32 vector);

/* The host interrupt name of @vector of @index on @dev. */
void irq_dev_irq_name(const struct irq_dev *dev, u32 index, u32 vector,
		      char *buf, size_t size);

/*
 * A test parameter: kernel command line argument @key=<value> (how
 * 'make check VM_APPEND=...' reaches a test in the VM, overriding
 * tests.list), else environment variable @env.  False if neither is set.
 */
bool irq_test_param(const char *env, const char *key, u64 *val);

#endif /* SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_VFIO_IRQ_DEV_H */
