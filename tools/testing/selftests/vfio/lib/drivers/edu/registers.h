/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register map of QEMU's "edu" educational PCI device (1234:11e8), see
 * docs/specs/edu.rst in QEMU.  Everything lives in the 1 MiB BAR0.
 */
#ifndef SELFTESTS_VFIO_LIB_DRIVERS_EDU_REGISTERS_H
#define SELFTESTS_VFIO_LIB_DRIVERS_EDU_REGISTERS_H

#define PCI_VENDOR_ID_QEMU		0x1234
#define PCI_DEVICE_ID_QEMU_EDU		0x11e8

/* Identification: 0xRRrr00ed, major/minor revision in the top bytes. */
#define EDU_REG_ID			0x00
#define EDU_ID_MAGIC_MASK		0x000000ff
#define EDU_ID_MAGIC			0xed

/* Interrupt status (RO): OR of every value written to EDU_REG_IRQ_RAISE. */
#define EDU_REG_IRQ_STATUS		0x24
/*
 * Writing a value ORs it into the status and raises the interrupt: one MSI
 * per write when MSI is enabled, else INTx, level, held while status != 0.
 */
#define EDU_REG_IRQ_RAISE		0x60
/* Writing a value clears those status bits; INTx drops when status is 0. */
#define EDU_REG_IRQ_ACK			0x64

/* DMA engine: 64-bit registers, accessed with 4 or 8 byte MMIO. */
#define EDU_REG_DMA_SRC			0x80
#define EDU_REG_DMA_DST			0x88
#define EDU_REG_DMA_COUNT		0x90
#define EDU_REG_DMA_CMD			0x98
#define EDU_DMA_CMD_RUN			0x1	/* start; cleared on completion */
#define EDU_DMA_CMD_TO_RAM		0x2	/* 0: RAM -> buffer, 1: buffer -> RAM */
#define EDU_DMA_CMD_IRQ			0x4	/* raise EDU_IRQ_DMA when done */

/* Status bit the device sets itself on DMA completion (with CMD_IRQ). */
#define EDU_IRQ_DMA			0x100

/* The device-side DMA buffer, addressed by device offset. */
#define EDU_DMA_BUF_ADDR		0x40000
#define EDU_DMA_BUF_SIZE		4096

#endif /* SELFTESTS_VFIO_LIB_DRIVERS_EDU_REGISTERS_H */
