// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI/IMS, driven through the debugfs test hook of the edu SIOV reference
 * driver (samples/vfio-siov-edu). The device is bound to vfio-siov-edu for
 * each test and given back to its previous driver afterwards.
 *
 * Environment:
 *   IMS_EXPECT=allowed|refused	whether this boot must offer PCI/IMS
 *				(default allowed)
 *   IMS_EXPECT_CM=0|1		check that the VT-d unit's caching mode
 *				(virtual IR) is as stated
 *   IMS_EXPECT_IR=0|1		check that edu's own MSI is (not) remapped
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvfio.h>
#include <libvfio/vfio_pci_irq.h>

#include "kselftest_harness.h"

#define DRIVER		"vfio-siov-edu"
#define DMA_BITS	"/sys/module/vfio_siov_edu/parameters/dma_bits"
#define NR_IRQS		64
/* Each fire is a 100 ms DMA; a TCG guest on a loaded host is slow */
#define IMS_TEST_TIMEOUT	600

static const char *bdf;

static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static void dev_path(char *buf, size_t size, const char *attr)
{
	snprintf(buf, size, "/sys/bus/pci/devices/%s/%s", bdf, attr);
}

/* The name of the driver bound to the device, "" if none */
static void current_driver(char *buf, size_t size)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	dev_path(path, sizeof(path), "driver");
	n = readlink(path, link, sizeof(link) - 1);
	buf[0] = '\0';
	if (n > 0) {
		link[n] = '\0';
		snprintf(buf, size, "%s", strrchr(link, '/') + 1);
	}
}

static int unbind_driver(void)
{
	char path[PATH_MAX];

	dev_path(path, sizeof(path), "driver/unbind");
	if (access(path, F_OK))
		return 0;
	return vfio_sysfs_write(path, bdf);
}

static int bind_to(const char *driver)
{
	char path[PATH_MAX];
	int ret;

	dev_path(path, sizeof(path), "driver_override");
	ret = vfio_sysfs_write(path, driver[0] ? driver : "\n");
	if (ret)
		return ret;
	if (!driver[0])
		return 0;
	return vfio_sysfs_write("/sys/bus/pci/drivers_probe", bdf);
}

/* Entries of /sys/kernel/irq: every allocated Linux interrupt */
static int count_irq_descs(void)
{
	struct dirent *de;
	int n = 0;
	DIR *dir;

	dir = opendir("/sys/kernel/irq");
	if (!dir)
		return -errno;
	while ((de = readdir(dir)))
		n += isdigit((unsigned char)de->d_name[0]) != 0;
	closedir(dir);
	return n;
}

/*
 * Lines of /proc/interrupts containing @match (all lines if NULL); the sum
 * of their per CPU counts goes to @events, and each line must have
 * @want_each events if that is not negative.
 */
static int scan_interrupts(const char *match, long *events, long want_each)
{
	char line[1024];
	int ncpus = 0, lines = 0;
	FILE *f;

	f = fopen("/proc/interrupts", "r");
	if (!f)
		return -errno;

	if (events)
		*events = 0;
	if (fgets(line, sizeof(line), f)) {
		char *tok = strtok(line, " \t\n");

		for (; tok; tok = strtok(NULL, " \t\n"))
			ncpus += !strncmp(tok, "CPU", 3);
	}

	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');
		long sum = 0;
		int cpu;

		if (match && !strstr(line, match))
			continue;
		lines++;
		for (cpu = 0; p && cpu < ncpus; cpu++)
			sum += strtol(p + 1, &p, 10);
		if (events)
			*events += sum;
		if (want_each >= 0 && sum != want_each) {
			fprintf(stderr, "%ld events, want %ld: %s", sum, want_each, line);
			lines = -EIO;
			break;
		}
	}
	fclose(f);
	return lines;
}

static bool ims_expected(void)
{
	const char *e = getenv("IMS_EXPECT");

	return !e || strcmp(e, "refused");
}

FIXTURE(ims_edu) {
	char saved_driver[64];
	char chip[64];
	char test[PATH_MAX];
	char status[PATH_MAX];
	int descs_before;
	int descs_bound;
	int lines_before;
	char dma_bits[16];	/* the parameter to restore, "" if untouched */
};

FIXTURE_SETUP(ims_edu)
{
	char driver[64];

	current_driver(self->saved_driver, sizeof(self->saved_driver));
	ASSERT_EQ(0, unbind_driver());

	/* Baseline: the device bound to nothing */
	self->descs_before = count_irq_descs();
	ASSERT_LT(0, self->descs_before);
	self->lines_before = scan_interrupts(NULL, NULL, -1);
	ASSERT_LT(0, self->lines_before);

	ASSERT_EQ(0, bind_to(DRIVER));
	current_driver(driver, sizeof(driver));
	ASSERT_STREQ(DRIVER, driver);
	/* edu's INTx mapping and its own MSI */
	self->descs_bound = count_irq_descs();

	snprintf(self->chip, sizeof(self->chip), "EDU-IMS-%s", bdf);
	snprintf(self->test, sizeof(self->test), "/sys/kernel/debug/%s/%s/test", DRIVER, bdf);
	snprintf(self->status, sizeof(self->status), "/sys/kernel/debug/%s/%s/status",
		 DRIVER, bdf);
}

FIXTURE_TEARDOWN(ims_edu)
{
	char driver[64];

	/* Unbinding releases whatever the test still holds */
	EXPECT_EQ(0, unbind_driver());
	if (self->dma_bits[0])
		EXPECT_EQ(0, vfio_sysfs_write(DMA_BITS, self->dma_bits));
	EXPECT_EQ(0, scan_interrupts(self->chip, NULL, -1));
	EXPECT_EQ(self->descs_before, count_irq_descs());
	EXPECT_EQ(self->lines_before, scan_interrupts(NULL, NULL, -1));

	EXPECT_EQ(0, bind_to(self->saved_driver));
	current_driver(driver, sizeof(driver));
	EXPECT_STREQ(self->saved_driver, driver);
}

static int cmd(const char *test, const char *c)
{
	return vfio_sysfs_write(test, c);
}

/* The boot is what the run claims to test */
TEST_F_TIMEOUT(ims_edu, environment, IMS_TEST_TIMEOUT)
{
	const char *cm = getenv("IMS_EXPECT_CM"), *ir = getenv("IMS_EXPECT_IR");
	char buf[128], msi[128];

	if (cm) {
		unsigned long long cap;

		ASSERT_EQ(0, read_file("/sys/class/iommu/dmar0/intel-iommu/cap", buf,
				       sizeof(buf)));
		cap = strtoull(buf, NULL, 16);
		/* VT-d capability register bit 7: caching mode */
		ASSERT_EQ(atoi(cm), (int)((cap >> 7) & 1));
	}
	if (ir) {
		/* edu's own MSI, for its DMA completion */
		snprintf(msi, sizeof(msi), "IR-PCI-MSI-%s", bdf);
		ASSERT_EQ(atoi(ir), scan_interrupts(msi, NULL, -1));
		snprintf(msi, sizeof(msi), "PCI-MSI-%s", bdf);
		ASSERT_EQ(1, scan_interrupts(msi, NULL, -1));
	}
}

TEST_F_TIMEOUT(ims_edu, refused, IMS_TEST_TIMEOUT)
{
	char buf[256];

	if (ims_expected())
		SKIP(return, "PCI/IMS is expected to be available\n");

	ASSERT_EQ(0, read_file(self->status, buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(buf, "ims_domain: -95\n"));
	ASSERT_EQ(-EOPNOTSUPP, cmd(self->test, "alloc 1"));
	ASSERT_EQ(0, scan_interrupts(self->chip, NULL, -1));
}

/*
 * A parent whose DMA reaches fewer than 32 address bits cannot write a
 * message: it probes without IMS.  The parameter is read at each probe.
 */
TEST_F_TIMEOUT(ims_edu, narrow_dma, IMS_TEST_TIMEOUT)
{
	char buf[256], bits[16];
	long events;

	if (!ims_expected())
		SKIP(return, "PCI/IMS is expected to be refused anyway\n");

	ASSERT_EQ(0, read_file(DMA_BITS, bits, sizeof(bits)));
	ASSERT_EQ(0, unbind_driver());
	snprintf(self->dma_bits, sizeof(self->dma_bits), "%s", bits);
	ASSERT_EQ(0, vfio_sysfs_write(DMA_BITS, "28"));
	ASSERT_EQ(0, bind_to(DRIVER));
	ASSERT_EQ(0, read_file(self->status, buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(buf, "ims_domain: -95\n"));
	ASSERT_EQ(-EOPNOTSUPP, cmd(self->test, "alloc 1"));
	ASSERT_EQ(0, scan_interrupts(self->chip, NULL, -1));

	/* Restored, the next probe has IMS again, and a message arrives */
	ASSERT_EQ(0, unbind_driver());
	ASSERT_EQ(0, vfio_sysfs_write(DMA_BITS, bits));
	self->dma_bits[0] = '\0';
	ASSERT_EQ(0, bind_to(DRIVER));
	ASSERT_EQ(0, read_file(self->status, buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(buf, "ims_domain: 0\n"));
	ASSERT_EQ(0, cmd(self->test, "alloc 1"));
	ASSERT_EQ(0, cmd(self->test, "fire"));
	ASSERT_EQ(1, scan_interrupts(self->chip, &events, 1));
	ASSERT_EQ(1, events);
}

/* N interrupts, each fired once: its own handler runs exactly once */
TEST_F_TIMEOUT(ims_edu, alloc_fire, IMS_TEST_TIMEOUT)
{
	char buf[256];
	long events;

	if (!ims_expected())
		SKIP(return, "PCI/IMS is expected to be refused\n");

	ASSERT_EQ(0, read_file(self->status, buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(buf, "ims_domain: 0\n"));

	ASSERT_EQ(0, cmd(self->test, "alloc 64"));
	/* The IMS chip's name in /proc/interrupts, one line each, no events */
	ASSERT_EQ(NR_IRQS, scan_interrupts(self->chip, &events, 0));
	ASSERT_EQ(NR_IRQS, scan_interrupts("IR-EDU-IMS-", NULL, -1));
	ASSERT_EQ(self->descs_bound + NR_IRQS, count_irq_descs());

	ASSERT_EQ(0, cmd(self->test, "fire"));
	ASSERT_EQ(NR_IRQS, scan_interrupts(self->chip, &events, 1));
	ASSERT_EQ(NR_IRQS, events);

	ASSERT_EQ(0, cmd(self->test, "cookie"));
	ASSERT_EQ(0, cmd(self->test, "free"));
	ASSERT_EQ(0, scan_interrupts(self->chip, NULL, -1));
	ASSERT_EQ(self->descs_bound, count_irq_descs());
}

TEST_F_TIMEOUT(ims_edu, mask_unmask, IMS_TEST_TIMEOUT)
{
	long events;

	if (!ims_expected())
		SKIP(return, "PCI/IMS is expected to be refused\n");

	ASSERT_EQ(0, cmd(self->test, "alloc 4"));
	ASSERT_EQ(0, cmd(self->test, "mask 2"));
	/* Latched fire delivered once on unmask, then one more fire */
	ASSERT_EQ(4, scan_interrupts(self->chip, &events, -1));
	ASSERT_EQ(2, events);
	ASSERT_EQ(-EINVAL, cmd(self->test, "mask 4"));
}

TEST_F_TIMEOUT(ims_edu, free_realloc, IMS_TEST_TIMEOUT)
{
	long events;

	if (!ims_expected())
		SKIP(return, "PCI/IMS is expected to be refused\n");

	ASSERT_EQ(0, cmd(self->test, "alloc 8"));
	ASSERT_EQ(0, cmd(self->test, "realloc 3"));
	ASSERT_EQ(0, cmd(self->test, "cookie"));
	ASSERT_EQ(8, scan_interrupts(self->chip, &events, -1));
	ASSERT_EQ(1, events);
	ASSERT_EQ(0, cmd(self->test, "fire"));
	ASSERT_EQ(8, scan_interrupts(self->chip, &events, -1));
	ASSERT_EQ(9, events);
}

/* Unbinding with interrupts allocated and requested: all gone (teardown) */
TEST_F_TIMEOUT(ims_edu, unbind_releases, IMS_TEST_TIMEOUT)
{
	if (!ims_expected())
		SKIP(return, "PCI/IMS is expected to be refused\n");

	ASSERT_EQ(0, cmd(self->test, "alloc 64"));
	ASSERT_EQ(NR_IRQS, scan_interrupts(self->chip, NULL, -1));
}

int main(int argc, char *argv[])
{
	bdf = vfio_selftests_get_bdf(&argc, argv);
	return test_harness_run(argc, argv);
}
