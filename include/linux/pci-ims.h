/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI/IMS (Interrupt Message Store): driver API
 *
 * A device which keeps interrupt messages in its own storage (an array in
 * device memory, or queue contexts in system memory) gets a second per
 * device MSI domain next to its PCI/MSI[-X] domain. The driver describes
 * its storage with an irq_chip in a struct msi_domain_template (see
 * Documentation in docs/ims.rst of vfio-intr).
 */
#ifndef LINUX_PCI_IMS_H
#define LINUX_PCI_IMS_H

#include <linux/errno.h>
#include <linux/msi_api.h>
#include <linux/types.h>

struct irq_affinity_desc;
struct irq_data;
struct msi_domain_template;
struct pci_dev;

#ifdef CONFIG_PCI_IMS
int pci_create_ims_domain(struct pci_dev *pdev,
			  const struct msi_domain_template *template,
			  unsigned int hwsize);
struct msi_map pci_ims_alloc_irq(struct pci_dev *pdev, unsigned int index,
				 const union msi_instance_cookie *icookie,
				 const struct irq_affinity_desc *affdesc);
void pci_ims_free_irq(struct pci_dev *pdev, struct msi_map map);
union msi_instance_cookie pci_ims_irqd_cookie(struct irq_data *irqd);
int pci_ims_irq_cookie(struct pci_dev *pdev, unsigned int virq,
		       union msi_instance_cookie *icookie);
#else /* CONFIG_PCI_IMS */
static inline int pci_create_ims_domain(struct pci_dev *pdev,
					const struct msi_domain_template *template,
					unsigned int hwsize)
{
	return -EOPNOTSUPP;
}

static inline struct msi_map pci_ims_alloc_irq(struct pci_dev *pdev, unsigned int index,
					       const union msi_instance_cookie *icookie,
					       const struct irq_affinity_desc *affdesc)
{
	return (struct msi_map){ .index = -EOPNOTSUPP };
}

static inline void pci_ims_free_irq(struct pci_dev *pdev, struct msi_map map) { }

static inline union msi_instance_cookie pci_ims_irqd_cookie(struct irq_data *irqd)
{
	return (union msi_instance_cookie){ };
}

static inline int pci_ims_irq_cookie(struct pci_dev *pdev, unsigned int virq,
				     union msi_instance_cookie *icookie)
{
	return -EOPNOTSUPP;
}
#endif /* !CONFIG_PCI_IMS */

#endif /* LINUX_PCI_IMS_H */
