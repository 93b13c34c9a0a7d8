// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bad input to VFIO_DEVICE_SET_IRQS and VFIO_DEVICE_GET_IRQ_INFO: one variant
 * per row, each with the exact errno of upstream vfio-pci, and a check that the
 * failed call changed nothing observable (the trigger installed beforehand
 * still loops back and still receives the device's interrupt; with nothing
 * installed, nothing got enabled).
 *
 * Rows name the device they need ("edu": INTx + 1 MSI, no MSI-X; "igb":
 * 10 MSI-X vectors) and skip elsewhere; run the test on both.  All rows share
 * one open of the device and each returns it to "nothing enabled".
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <unistd.h>

#include <linux/limits.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest_harness.h"
#include "vfio_pci_irq_test.h"

#define INTX	VFIO_PCI_INTX_IRQ_INDEX
#define MSI	VFIO_PCI_MSI_IRQ_INDEX
#define MSIX	VFIO_PCI_MSIX_IRQ_INDEX
#define ERR	VFIO_PCI_ERR_IRQ_INDEX
#define REQ	VFIO_PCI_REQ_IRQ_INDEX

/* struct vfio_irq_set up to and including count */
#define SET_MINSZ	(offsetof(struct vfio_irq_set, count) + sizeof(u32))
#define INFO_MINSZ	(offsetof(struct vfio_irq_info, count) + sizeof(u32))

/* Special values of variant->fds[] */
#define FD_EVENTFD	(INT_MIN + 1)	/* a fresh eventfd */
#define FD_NOT_EVENTFD	(INT_MIN + 2)	/* an open fd that is not an eventfd */
#define FD_CLOSED	(INT_MIN + 3)	/* a just-closed fd number */

/* Special value of variant->argsz: an explicit 0 */
#define ARGSZ_ZERO	UINT_MAX

enum errno_op {
	OP_SET_IRQS,
	OP_SET_IRQS_NULL,	/* argument pointer NULL */
	OP_GET_IRQ_INFO,
	OP_GET_IRQ_INFO_NULL,
};

enum errno_dev {
	DEV_ANY,
	DEV_EDU,
	DEV_IGB,
};

/* What is set up before the bad call, and checked after it. */
enum errno_pre {
	PRE_NONE,
	PRE_INTX,	/* INTx with a trigger */
	PRE_MSI,	/* MSI vector 0 with a trigger */
	PRE_MSIX,	/* MSI-X vector 0 with a trigger */
	PRE_ERR,	/* ERR trigger */
};

static const char *device_bdf;
/* Which kind of device device_bdf is, from sysfs (cheap: no VFIO open). */
static enum errno_dev device_kind;

FIXTURE(vfio_pci_irq_errno_test) {
	struct vfio_pci_device *device;
	int trigger;
};

FIXTURE_VARIANT(vfio_pci_irq_errno_test) {
	enum errno_op op;
	enum errno_dev dev;
	enum errno_pre pre;
	u32 argsz;		/* 0: header + data */
	u32 flags;
	u32 index;
	u32 start;
	u32 count;
	int nr_data;		/* entries of fds[] or bools[] sent */
	int fds[4];
	u8 bools[4];
	int expect;		/* -errno */
};

/* VFIO_DEVICE_GET_IRQ_INFO */
FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, info_argsz_short) {
	.op = OP_GET_IRQ_INFO,
	.index = INTX,
	.argsz = INFO_MINSZ - 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, info_argsz_zero) {
	.op = OP_GET_IRQ_INFO,
	.index = INTX,
	.argsz = ARGSZ_ZERO,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, info_index_num_irqs) {
	.op = OP_GET_IRQ_INFO,
	.index = VFIO_PCI_NUM_IRQS,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, info_index_huge) {
	.op = OP_GET_IRQ_INFO,
	.index = UINT_MAX,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, info_null_arg) {
	.op = OP_GET_IRQ_INFO_NULL,
	.expect = -EFAULT,
};

/* Header validation (vfio_set_irqs_validate_and_prepare) */
FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_null_arg) {
	.op = OP_SET_IRQS_NULL,
	.expect = -EFAULT,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_argsz_short) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE,
	.count = 1,
	.argsz = SET_MINSZ - 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_argsz_zero) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE,
	.count = 1,
	.argsz = ARGSZ_ZERO,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_index_num_irqs) {
	.index = VFIO_PCI_NUM_IRQS,
	.flags = IRQ_TRIGGER_NONE,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_index_huge) {
	.index = UINT_MAX,
	.flags = IRQ_TRIGGER_NONE,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_unknown_flag) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE | (1 << 6),
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_unknown_flag_high) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE | (1u << 31),
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_two_data_types) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE | VFIO_IRQ_SET_DATA_BOOL,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_all_data_types) {
	.index = ERR,
	.flags = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_TYPE_MASK,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_no_data_type) {
	.index = ERR,
	.flags = VFIO_IRQ_SET_ACTION_TRIGGER,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_start_count_overflow) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE,
	.start = 1,
	.count = UINT_MAX,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_count_u32_max) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE,
	.count = UINT_MAX,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_start_u32_max) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE,
	.start = UINT_MAX,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_err_start_1) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE,
	.start = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_err_count_2) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE,
	.count = 2,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_bool_argsz_short) {
	.index = ERR,
	.flags = IRQ_TRIGGER_BOOL,
	.count = 1,
	.argsz = SET_MINSZ,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_eventfd_argsz_short) {
	.index = ERR,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.argsz = SET_MINSZ + 3,
	.expect = -EINVAL,
};

/* Action dispatch: no or several actions, unsupported actions */
FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_two_actions) {
	.dev = DEV_EDU,
	.pre = PRE_INTX,
	.index = INTX,
	.flags = IRQ_TRIGGER_NONE | VFIO_IRQ_SET_ACTION_MASK,
	.count = 1,
	.expect = -ENOTTY,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, set_no_action) {
	.dev = DEV_EDU,
	.pre = PRE_INTX,
	.index = INTX,
	.flags = VFIO_IRQ_SET_DATA_NONE,
	.count = 1,
	.expect = -ENOTTY,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, err_mask) {
	.pre = PRE_ERR,
	.index = ERR,
	.flags = IRQ_MASK_NONE,
	.count = 1,
	.expect = -ENOTTY,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, req_unmask) {
	.index = REQ,
	.flags = IRQ_UNMASK_NONE,
	.count = 1,
	.expect = -ENOTTY,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_mask) {
	.dev = DEV_EDU,
	.pre = PRE_MSI,
	.index = MSI,
	.flags = IRQ_MASK_NONE,
	.count = 1,
	.expect = -ENOTTY,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_unmask) {
	.dev = DEV_EDU,
	.index = MSI,
	.flags = IRQ_UNMASK_BOOL,
	.count = 1,
	.nr_data = 1,
	.bools = { 1 },
	.expect = -ENOTTY,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_mask) {
	.dev = DEV_IGB,
	.pre = PRE_MSIX,
	.index = MSIX,
	.flags = IRQ_MASK_NONE,
	.count = 1,
	.expect = -ENOTTY,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_unmask_eventfd) {
	.dev = DEV_IGB,
	.pre = PRE_MSIX,
	.index = MSIX,
	.flags = IRQ_UNMASK_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_EVENTFD },
	.expect = -ENOTTY,
};

/* INTx */
FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_start_1) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_TRIGGER_NONE,
	.start = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_count_2) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_TRIGGER_NONE,
	.count = 2,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_mask_not_enabled) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_MASK_NONE,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_unmask_not_enabled) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_UNMASK_NONE,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_unmask_eventfd_not_enabled) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_UNMASK_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_mask_eventfd_not_enabled) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_MASK_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_mask_eventfd) {
	.dev = DEV_EDU,
	.pre = PRE_INTX,
	.index = INTX,
	.flags = IRQ_MASK_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_EVENTFD },
	.expect = -ENOTTY,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_mask_count_0) {
	.dev = DEV_EDU,
	.pre = PRE_INTX,
	.index = INTX,
	.flags = IRQ_MASK_NONE,
	.count = 0,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_loopback_not_enabled) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_TRIGGER_NONE,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_bool_not_enabled) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_TRIGGER_BOOL,
	.count = 1,
	.nr_data = 1,
	.bools = { 1 },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_disable_not_enabled) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_TRIGGER_NONE,
	.count = 0,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_eventfd_count_0) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 0,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_eventfd_not_eventfd) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_NOT_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_eventfd_closed) {
	.dev = DEV_EDU,
	.index = INTX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_CLOSED },
	.expect = -EBADF,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_swap_not_eventfd) {
	.dev = DEV_EDU,
	.pre = PRE_INTX,
	.index = INTX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_NOT_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_swap_closed) {
	.dev = DEV_EDU,
	.pre = PRE_INTX,
	.index = INTX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_CLOSED },
	.expect = -EBADF,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_enable_while_msi) {
	.dev = DEV_EDU,
	.pre = PRE_MSI,
	.index = INTX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, intx_unmask_while_msi) {
	.dev = DEV_EDU,
	.pre = PRE_MSI,
	.index = INTX,
	.flags = IRQ_UNMASK_NONE,
	.count = 1,
	.expect = -EINVAL,
};

/* MSI / MSI-X */
FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_count_over_max) {
	.dev = DEV_EDU,
	.index = MSI,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 2,
	.nr_data = 2,
	.fds = { FD_EVENTFD, FD_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_start_over_max) {
	.dev = DEV_EDU,
	.pre = PRE_MSI,
	.index = MSI,
	.flags = IRQ_TRIGGER_NONE,
	.start = 1,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_enable_while_intx) {
	.dev = DEV_EDU,
	.pre = PRE_INTX,
	.index = MSI,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_loopback_not_enabled) {
	.dev = DEV_EDU,
	.index = MSI,
	.flags = IRQ_TRIGGER_NONE,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_disable_not_enabled) {
	.dev = DEV_EDU,
	.index = MSI,
	.flags = IRQ_TRIGGER_NONE,
	.count = 0,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_eventfd_count_0) {
	.dev = DEV_EDU,
	.index = MSI,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 0,
	.expect = -ERANGE,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_eventfd_not_eventfd) {
	.dev = DEV_EDU,
	.index = MSI,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_NOT_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_eventfd_closed) {
	.dev = DEV_EDU,
	.index = MSI,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_CLOSED },
	.expect = -EBADF,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_no_capability) {
	.dev = DEV_EDU,
	.index = MSIX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_count_over_max) {
	.dev = DEV_IGB,
	.index = MSIX,
	.flags = IRQ_TRIGGER_NONE,
	.start = 9,
	.count = 2,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_start_over_max) {
	.dev = DEV_IGB,
	.pre = PRE_MSIX,
	.index = MSIX,
	.flags = IRQ_TRIGGER_NONE,
	.start = 10,
	.count = 0,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_eventfd_count_0) {
	.dev = DEV_IGB,
	.index = MSIX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 0,
	.expect = -ERANGE,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_block_argsz_short) {
	.dev = DEV_IGB,
	.index = MSIX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 3,
	.nr_data = 2,
	.fds = { FD_EVENTFD, FD_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_enable_block_closed) {
	.dev = DEV_IGB,
	.index = MSIX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 3,
	.nr_data = 3,
	.fds = { FD_EVENTFD, FD_EVENTFD, FD_CLOSED },
	.expect = -EBADF,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_enable_block_not_eventfd) {
	.dev = DEV_IGB,
	.index = MSIX,
	.flags = IRQ_TRIGGER_EVENTFD,
	.start = 2,
	.count = 2,
	.nr_data = 2,
	.fds = { FD_EVENTFD, FD_NOT_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msix_loopback_not_enabled) {
	.dev = DEV_IGB,
	.index = MSIX,
	.flags = IRQ_TRIGGER_BOOL,
	.count = 1,
	.nr_data = 1,
	.bools = { 1 },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, msi_trigger_and_unmask) {
	.dev = DEV_EDU,
	.pre = PRE_MSI,
	.index = MSI,
	.flags = IRQ_TRIGGER_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
	.count = 0,
	.expect = -ENOTTY,
};

/* ERR / REQ: single eventfd, fd -1 clears, fd < -1 is invalid */
FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, err_fd_minus_2) {
	.pre = PRE_ERR,
	.index = ERR,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { -2 },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, req_fd_int_min) {
	.index = REQ,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { INT_MIN },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, err_not_eventfd) {
	.pre = PRE_ERR,
	.index = ERR,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_NOT_EVENTFD },
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, req_closed) {
	.index = REQ,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 1,
	.nr_data = 1,
	.fds = { FD_CLOSED },
	.expect = -EBADF,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, err_loopback_no_trigger) {
	.index = ERR,
	.flags = IRQ_TRIGGER_NONE,
	.count = 1,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, req_clear_none_no_trigger) {
	.index = REQ,
	.flags = IRQ_TRIGGER_NONE,
	.count = 0,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, err_bool_count_0) {
	.pre = PRE_ERR,
	.index = ERR,
	.flags = IRQ_TRIGGER_BOOL,
	.count = 0,
	.expect = -EINVAL,
};

FIXTURE_VARIANT_ADD(vfio_pci_irq_errno_test, err_eventfd_count_0) {
	.pre = PRE_ERR,
	.index = ERR,
	.flags = IRQ_TRIGGER_EVENTFD,
	.count = 0,
	.expect = -EINVAL,
};

/*
 * One device open shared by all rows (opening costs a reset, and there are
 * many rows): main() opens it before the harness forks, and each row's
 * teardown returns every interrupt index to "disabled".
 */
static struct iommu *shared_iommu;
static struct vfio_pci_device *shared_device;

static void irq_state_reset(struct vfio_pci_device *device)
{
	u32 index;

	if (is_edu(device))
		edu_irq_ack(device);
	for (index = INTX; index <= MSIX; index++)
		__vfio_pci_set_irqs_none(device, VFIO_IRQ_SET_ACTION_TRIGGER,
					 index, 0, 0);
	for (index = ERR; index <= REQ; index++)
		__vfio_pci_set_irqs_eventfd(device, VFIO_IRQ_SET_ACTION_TRIGGER,
					    index, 0, 1, &(int){-1});
}

FIXTURE_SETUP(vfio_pci_irq_errno_test)
{
	if (variant->dev != DEV_ANY && variant->dev != device_kind)
		SKIP(return, "row is for the %s device\n",
		     variant->dev == DEV_EDU ? "edu" : "igb");

	self->device = shared_device;
	self->trigger = eventfd_nonblock();

	if (is_edu(self->device)) {
		vfio_pci_cmd_set(self->device,
				 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
		edu_irq_ack(self->device);
	} else if (is_igb(self->device)) {
		igb_msix_setup(self->device);
	}
}

FIXTURE_TEARDOWN(vfio_pci_irq_errno_test)
{
	irq_state_reset(self->device);
	close(self->trigger);
}

static u16 sysfs_id(const char *file)
{
	char path[PATH_MAX], buf[16] = {};
	FILE *f;

	snprintf_assert(path, sizeof(path), "/sys/bus/pci/devices/%s/%s",
			device_bdf, file);
	f = fopen(path, "r");
	VFIO_ASSERT_NOT_NULL(f, "cannot open %s\n", path);
	VFIO_ASSERT_NOT_NULL(fgets(buf, sizeof(buf), f));
	fclose(f);

	return strtoul(buf, NULL, 0);
}

static enum errno_dev sysfs_device_kind(void)
{
	u16 vendor = sysfs_id("vendor"), device = sysfs_id("device");

	if (vendor == PCI_VENDOR_ID_QEMU && device == PCI_DEVICE_ID_QEMU_EDU)
		return DEV_EDU;
	if (vendor == 0x8086 && device == IGB_DEVICE_ID_82576)
		return DEV_IGB;
	return DEV_ANY;
}

static u32 pre_index(enum errno_pre pre)
{
	static const u32 index[] = {
		[PRE_INTX] = INTX,
		[PRE_MSI] = MSI,
		[PRE_MSIX] = MSIX,
		[PRE_ERR] = ERR,
	};

	return index[pre];
}

/* Fire the pre-installed interrupt from the device, if we know how. */
static bool device_fire(struct vfio_pci_device *device, enum errno_pre pre)
{
	if (is_edu(device) && (pre == PRE_INTX || pre == PRE_MSI)) {
		edu_irq_raise(device);
		return true;
	}
	if (is_igb(device) && pre == PRE_MSIX) {
		igb_msix_fire(device, 0);
		return true;
	}
	return false;
}

/* Resolve the special fd values; returns an fd to close afterwards or -1. */
static int resolve_fd(struct vfio_pci_device *device, int spec, int *out)
{
	int fd;

	switch (spec) {
	case FD_EVENTFD:
		*out = eventfd_nonblock();
		return *out;
	case FD_NOT_EVENTFD:
		*out = device->fd;
		return -1;
	case FD_CLOSED:
		fd = eventfd_nonblock();
		VFIO_ASSERT_EQ(close(fd), 0);
		*out = fd;
		return -1;
	default:
		*out = spec;
		return -1;
	}
}

TEST_F(vfio_pci_irq_errno_test, bad_input)
{
	struct vfio_pci_device *device = self->device;
	int to_close[ARRAY_SIZE(variant->fds)];
	u8 buf[sizeof(struct vfio_irq_set) + sizeof(variant->fds)] = {};
	struct vfio_irq_set *hdr = (void *)buf;
	struct vfio_irq_info info;
	size_t data_size = 0;
	u32 index;
	int i, ret;

	if (variant->dev == DEV_IGB)
		ASSERT_EQ(IGB_MSIX_VECTORS, device->msix_info.count);

	/* Install the state the bad call must not disturb. */
	if (variant->pre != PRE_NONE) {
		index = pre_index(variant->pre);
		ASSERT_EQ(0, __vfio_pci_get_irq_info(device, index, &info));
		if (!info.count)
			SKIP(return, "device has no interrupt at index %u\n",
			     index);
		ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
							 VFIO_IRQ_SET_ACTION_TRIGGER,
							 index, 0, 1,
							 &self->trigger));
	}

	for (i = 0; i < ARRAY_SIZE(to_close); i++)
		to_close[i] = -1;

	switch (variant->op) {
	case OP_GET_IRQ_INFO:
		memset(&info, 0, sizeof(info));
		info.argsz = variant->argsz == ARGSZ_ZERO ? 0 :
			     variant->argsz ?: sizeof(info);
		info.index = variant->index;
		ret = ioctl(device->fd, VFIO_DEVICE_GET_IRQ_INFO, &info) ?
		      -errno : 0;
		break;
	case OP_GET_IRQ_INFO_NULL:
		ret = ioctl(device->fd, VFIO_DEVICE_GET_IRQ_INFO, NULL) ?
		      -errno : 0;
		break;
	case OP_SET_IRQS_NULL:
		ret = __vfio_device_set_irqs(device->fd, NULL);
		break;
	case OP_SET_IRQS:
		if (variant->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
			int *fds = (int *)hdr->data;

			for (i = 0; i < variant->nr_data; i++)
				to_close[i] = resolve_fd(device,
							 variant->fds[i],
							 &fds[i]);
			data_size = variant->nr_data * sizeof(int);
		} else if (variant->flags & VFIO_IRQ_SET_DATA_BOOL) {
			memcpy(hdr->data, variant->bools, variant->nr_data);
			data_size = variant->nr_data;
		}
		hdr->argsz = variant->argsz == ARGSZ_ZERO ? 0 :
			     variant->argsz ?: sizeof(*hdr) + data_size;
		hdr->flags = variant->flags;
		hdr->index = variant->index;
		hdr->start = variant->start;
		hdr->count = variant->count;
		ret = __vfio_device_set_irqs(device->fd, hdr);
		break;
	default:
		ret = 0;
	}

	for (i = 0; i < ARRAY_SIZE(to_close); i++)
		if (to_close[i] >= 0)
			close(to_close[i]);

	ASSERT_EQ(variant->expect, ret)
		TH_LOG("expected %s, got %s", strerror(-variant->expect),
		       ret ? strerror(-ret) : "success");

	/* Nothing observable changed. */
	if (variant->pre == PRE_NONE) {
		/* No index got enabled: loopback is refused everywhere. */
		for (index = INTX; index <= MSIX; index++) {
			ASSERT_EQ(0, __vfio_pci_get_irq_info(device, index,
							     &info));
			if (!info.count)
				continue;
			ASSERT_EQ(-EINVAL, __vfio_pci_set_irqs_none(device,
								    VFIO_IRQ_SET_ACTION_TRIGGER,
								    index, 0, 1));
		}
		/* And enabling still works (edu: INTx; igb: MSI-X). */
		if (is_edu(device))
			ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
								 VFIO_IRQ_SET_ACTION_TRIGGER,
								 INTX, 0, 1,
								 &self->trigger));
		return;
	}

	index = pre_index(variant->pre);
	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      index, 0, 1));
	ASSERT_SIGNALLED(self->trigger, 1);

	if (device_fire(device, variant->pre)) {
		ASSERT_SIGNALLED(self->trigger, 1);
		if (is_edu(device))
			edu_irq_ack(device);
	}
}

/*
 * Odd inputs that upstream accepts: the frontend must accept them too, with
 * the same effect.
 */
FIXTURE(vfio_pci_irq_corner_test) {
	struct vfio_pci_device *device;
	int trigger;
};

FIXTURE_SETUP(vfio_pci_irq_corner_test)
{
	self->device = shared_device;
	self->trigger = eventfd_nonblock();
}

FIXTURE_TEARDOWN(vfio_pci_irq_corner_test)
{
	irq_state_reset(self->device);
	close(self->trigger);
}

/* Larger argsz than needed is fine for both ioctls; exactly minsz too. */
TEST_F(vfio_pci_irq_corner_test, argsz_larger)
{
	struct vfio_pci_device *device = self->device;
	u8 buf[sizeof(struct vfio_irq_info) + 64] = {};
	struct vfio_irq_info *info = (void *)buf;
	struct vfio_irq_set *hdr = (void *)buf;

	info->argsz = sizeof(buf);
	info->index = ERR;
	ASSERT_EQ(0, ioctl(device->fd, VFIO_DEVICE_GET_IRQ_INFO, info));
	ASSERT_EQ(1, info->count);
	/* argsz is not updated by GET_IRQ_INFO. */
	ASSERT_EQ(sizeof(buf), info->argsz);

	info->argsz = INFO_MINSZ;
	ASSERT_EQ(0, ioctl(device->fd, VFIO_DEVICE_GET_IRQ_INFO, info));

	memset(buf, 0, sizeof(buf));
	hdr->argsz = sizeof(buf);
	hdr->flags = IRQ_TRIGGER_EVENTFD;
	hdr->index = ERR;
	hdr->count = 1;
	memcpy(hdr->data, &self->trigger, sizeof(int));
	ASSERT_EQ(0, __vfio_device_set_irqs(device->fd, hdr));
	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      ERR, 0, 1));
	ASSERT_SIGNALLED(self->trigger, 1);
}

/*
 * ERR/REQ without a trigger: DATA_BOOL and fd -1 succeed, DATA_NONE does not.
 * With one: DATA_NONE count 0 removes it.
 */
TEST_F(vfio_pci_irq_corner_test, err_req_without_trigger)
{
	struct vfio_pci_device *device = self->device;
	u32 index;

	for (index = ERR; index <= REQ; index++) {
		ASSERT_EQ(0, __vfio_pci_set_irqs_bool(device,
						      VFIO_IRQ_SET_ACTION_TRIGGER,
						      index, 0, 1, &(u8){1}));
		ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
							 VFIO_IRQ_SET_ACTION_TRIGGER,
							 index, 0, 1,
							 &(int){-1}));
		ASSERT_EQ(-EINVAL, __vfio_pci_set_irqs_none(device,
							    VFIO_IRQ_SET_ACTION_TRIGGER,
							    index, 0, 1));

		ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
							 VFIO_IRQ_SET_ACTION_TRIGGER,
							 index, 0, 1,
							 &self->trigger));
		ASSERT_EQ(0, __vfio_pci_set_irqs_bool(device,
						      VFIO_IRQ_SET_ACTION_TRIGGER,
						      index, 0, 1, &(u8){1}));
		ASSERT_SIGNALLED(self->trigger, 1);
		ASSERT_EQ(0, __vfio_pci_set_irqs_bool(device,
						      VFIO_IRQ_SET_ACTION_TRIGGER,
						      index, 0, 1, &(u8){0}));
		ASSERT_NOT_SIGNALLED(self->trigger);

		ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
						      VFIO_IRQ_SET_ACTION_TRIGGER,
						      index, 0, 0));
		ASSERT_EQ(-EINVAL, __vfio_pci_set_irqs_none(device,
							    VFIO_IRQ_SET_ACTION_TRIGGER,
							    index, 0, 1));
		ASSERT_NOT_SIGNALLED(self->trigger);
	}
}

/*
 * DATA_NONE with count 0 disables the whole MSI/MSI-X index whatever start
 * says; DATA_EVENTFD with count 0 on a live set is a no-op.
 */
TEST_F(vfio_pci_irq_corner_test, msix_disable_ignores_start)
{
	struct vfio_pci_device *device = self->device;
	int fds[2] = { self->trigger, self->trigger };

	if (device->msix_info.count < 6)
		SKIP(return, "needs 6 MSI-X vectors\n");

	ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
						 VFIO_IRQ_SET_ACTION_TRIGGER,
						 MSIX, 0, 2, fds));
	ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
						 VFIO_IRQ_SET_ACTION_TRIGGER,
						 MSIX, 3, 0, NULL));
	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSIX, 0, 2));
	ASSERT_SIGNALLED(self->trigger, 2);

	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSIX, 5, 0));
	/* Disabled: loopback refused, INTx can be enabled. */
	ASSERT_EQ(-EINVAL, __vfio_pci_set_irqs_none(device,
						    VFIO_IRQ_SET_ACTION_TRIGGER,
						    MSIX, 0, 1));
	ASSERT_NOT_SIGNALLED(self->trigger);
}

/* The same eventfd may back several vectors; each signal counts. */
TEST_F(vfio_pci_irq_corner_test, shared_eventfd)
{
	struct vfio_pci_device *device = self->device;
	int fds[3] = { self->trigger, self->trigger, self->trigger };

	if (device->msix_info.count < 3)
		SKIP(return, "needs 3 MSI-X vectors\n");

	ASSERT_EQ(0, __vfio_pci_set_irqs_eventfd(device,
						 VFIO_IRQ_SET_ACTION_TRIGGER,
						 MSIX, 0, 3, fds));
	ASSERT_EQ(0, __vfio_pci_set_irqs_none(device,
					      VFIO_IRQ_SET_ACTION_TRIGGER,
					      MSIX, 0, 3));
	ASSERT_SIGNALLED(self->trigger, 3);
}

int main(int argc, char *argv[])
{
	int ret;

	device_bdf = vfio_selftests_get_bdf(&argc, argv);
	device_kind = sysfs_device_kind();

	shared_iommu = iommu_init(default_iommu_mode);
	shared_device = vfio_pci_device_init(device_bdf, shared_iommu);
	irq_state_reset(shared_device);

	ret = test_harness_run(argc, argv);

	irq_state_reset(shared_device);
	vfio_pci_device_cleanup(shared_device);
	iommu_cleanup(shared_iommu);

	return ret;
}
