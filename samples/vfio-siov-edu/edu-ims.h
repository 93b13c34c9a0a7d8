/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu SIOV reference driver: the edu device as PCI/IMS parent
 */
#ifndef EDU_IMS_H
#define EDU_IMS_H

#include <linux/completion.h>
#include <linux/msi_api.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct dentry;
struct pci_dev;
struct edu_ims_test;

/* edu's DMA buffer: 4 KiB behind the DMA engine, not mapped in BAR0 */
#define EDU_BUF_BASE		0x40000
#define EDU_BUF_WORDS		(4096 / sizeof(u32))

/**
 * struct edu_ims_slot - One IMS entry, kept in driver memory
 * @addr:	Message address, 0 while the interrupt is not active
 * @data:	Message data
 * @cookie:	Instance cookie, recorded by the chip when the message is
 *		written
 * @masked:	A fire latches @pending instead of sending a message
 * @pending:	A message latched while masked, sent on unmask
 */
struct edu_ims_slot {
	u64	addr;
	u64	cookie;
	u32	data;
	bool	masked;
	bool	pending;
};

/**
 * struct edu_ims - The edu device as interrupt message store
 * @pdev:	The PCI device
 * @bar:	BAR0, edu's registers
 * @ims_status:	Result of pci_create_ims_domain(): 0 or a negative errno
 * @nr_slots:	Number of IMS entries, the IMS domain's size
 * @dma_bits:	Address bits edu's DMA reaches (the dma_bits parameter at
 *		probe)
 *
 * @slot_lock:	Protects @slots, @queued and @fire_next. A raw spinlock:
 *		the IMS chip callbacks take it under the interrupt descriptor
 *		lock.
 * @slots:	The IMS entries
 * @queued:	Bitmap of entries whose message waits for the DMA engine
 * @fire_next:	Where the fire work looks for the next queued entry (round
 *		robin)
 * @fire_work:	Sends the queued messages, one DMA at a time
 *
 * @dma_lock:	Serialises the DMA engine; protects @dma_dead, @stage,
 *		@bufval, @bufvalid and @buf_next
 * @dma_done:	Completed by edu's own MSI when a DMA finished
 * @dma_dead:	A DMA timed out: the engine is not used again, since a
 *		transfer still running could land at any later time
 * @stage:	Coherent word through which a data word is loaded into the
 *		edu buffer
 * @stage_dma:	DMA address of @stage
 * @bufval:	The data words held in the edu buffer
 * @bufvalid:	Which entries of @bufval are valid
 * @buf_next:	The next buffer word to replace
 *
 * @test:	The debugfs test hook, if built
 *
 * @vdev_lock:	Serialises the creation and removal of virtual devices
 *		(edu-siov.c); protects @vdevs
 * @vdevs:	The virtual devices (struct edu_siov_dev), by id
 */
struct edu_ims {
	struct pci_dev		*pdev;
	void __iomem		*bar;
	int			ims_status;
	unsigned int		nr_slots;
	unsigned int		dma_bits;

	raw_spinlock_t		slot_lock;
	struct edu_ims_slot	*slots;
	unsigned long		*queued;
	unsigned int		fire_next;
	struct work_struct	fire_work;

	struct mutex		dma_lock;	/* serialises the DMA engine */
	struct completion	dma_done;
	bool			dma_dead;
	__le32			*stage;
	dma_addr_t		stage_dma;
	u32			bufval[EDU_BUF_WORDS];
	DECLARE_BITMAP(bufvalid, EDU_BUF_WORDS);
	unsigned int		buf_next;

	struct edu_ims_test	*test;

	struct mutex		vdev_lock;	/* serialises vdev create/remove */
	struct xarray		vdevs;
};

int edu_ims_fire(struct edu_ims *edu, unsigned int index);
bool edu_ims_pending(struct edu_ims *edu, unsigned int index);
bool edu_ims_masked(struct edu_ims *edu, unsigned int index);
u64 edu_ims_cookie(struct edu_ims *edu, unsigned int index);
void edu_ims_quiesce(struct edu_ims *edu);
void edu_ims_quiesce_irq(struct edu_ims *edu, unsigned int index);
struct msi_map edu_ims_alloc_irq(struct edu_ims *edu, unsigned int index, u64 cookie);
void edu_ims_free_irq(struct edu_ims *edu, struct msi_map map, void *dev_id);

#ifdef CONFIG_SAMPLE_VFIO_SIOV_EDU_TEST
int edu_ims_test_init(struct edu_ims *edu);
void edu_ims_test_module_init(void);
void edu_ims_test_module_exit(void);
#else
static inline int edu_ims_test_init(struct edu_ims *edu) { return 0; }
static inline void edu_ims_test_module_init(void) { }
static inline void edu_ims_test_module_exit(void) { }
#endif

#endif /* EDU_IMS_H */
