/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * igb (82576) registers the interrupt tests, the hardening tests and the
 * benchmark use: with GPIE MSI-X mode, cause v is routed to MSI-X vector v
 * and raised by writing BIT(v) to EICS.
 */
#ifndef SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_IGB_H
#define SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_IGB_H

#define IGB_DEVICE_ID_82576	0x10c9
#define IGB_REG_GPIE		0x01514
#define IGB_REG_EICS		0x01520
#define IGB_REG_EIMS		0x01524
#define IGB_REG_EIMC		0x01528
#define IGB_REG_EIAC		0x0152c
#define IGB_REG_EIAM		0x01530
#define IGB_REG_EICR		0x01580
#define IGB_REG_EITR(v)		(0x01680 + 4 * (v))
#define IGB_GPIE_MSIX_MODE	0x00000010
#define IGB_MSIX_VECTORS	10

#endif /* SELFTESTS_VFIO_LIB_INCLUDE_LIBVFIO_IGB_H */
