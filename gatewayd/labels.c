// SPDX-License-Identifier: GPL-2.0
/*
 * The conntrack label names. A rule says "ct label set tquic-bond"; nft
 * finds the bit of that name in /etc/connlabel.conf, and the module bonds
 * the flows whose conntrack entry carries the bit of its parameter
 * label_bond (label_realtime for tquic-realtime). Without the names, such
 * rules do not load; with other bits than the module's, they mark flows
 * the module never takes. gatewayd checks both at start.
 */

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"
#include "log.h"
#include "util.h"

/* conntrack has 128 label bits */
#define TQ_LABEL_BITS 128

struct tq_label {
	const char *name;	/* the name rules use */
	const char *param;	/* the module parameter holding its bit */
	unsigned int dflt;	/* the bit in nft/connlabel.conf */
	unsigned int bit;	/* the bit the file gives it */
	unsigned int line;	/* where; 0: nowhere */
};

static void tq_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/*
 * The first line naming each label, read the way nft 1.0.6 reads the file
 * (rt_symbol_table_init(), whose first match wins): "BIT NAME", BIT in
 * decimal or 0x hex, lines starting with # comments. nft stops at the
 * first line it cannot read; so does this, leaving its number in *bad.
 */
static int tq_labels_read(const char *path, struct tq_label *labels,
			  size_t n, unsigned int *bad)
{
	_cleanup_(tq_fclosep) FILE *f = NULL;
	char buf[512], name[512];
	unsigned int lineno = 0, val;
	size_t i;

	*bad = 0;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(buf, sizeof(buf), f)) {
		const char *p = buf;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		if (sscanf(p, "0x%x %511s", &val, name) != 2 &&
		    sscanf(p, "%u %511s", &val, name) != 2) {
			*bad = lineno;
			break;
		}
		for (i = 0; i < n; i++) {
			if (!labels[i].line && !strcmp(name, labels[i].name)) {
				labels[i].bit = val;
				labels[i].line = lineno;
			}
		}
	}
	if (ferror(f))
		return -EIO;
	return 0;
}

/* The bit the loaded module takes for @param: -ENOENT when it has none. */
static int tq_labels_param(const char *sysfs_root, const char *param,
			   unsigned int *bit)
{
	_cleanup_(tq_fclosep) FILE *f = NULL;
	char path[256], buf[32], *end;
	unsigned long v;
	int n;

	n = snprintf(path, sizeof(path), "%s/module/tquic/parameters/%s",
		     sysfs_root, param);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f))
		return ferror(f) ? -EIO : -EBADMSG;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v > UINT_MAX)
		return -EBADMSG;
	*bit = (unsigned int)v;
	return 0;
}

/**
 * tq_labels_check() - do nft's label names match the module's bits?
 * @path: the file nft reads label names from (TQ_CONNLABEL_FILE)
 * @sysfs_root: where sysfs is mounted ("/sys"); tests point it elsewhere
 *
 * @path must name tquic-bond and tquic-realtime with two bits below 128;
 * where the loaded module has the parameters label_bond and
 * label_realtime, the bits must be theirs.
 *
 * Return: 0, or a negative errno after logging what is wrong, naming
 * @path: it cannot be read (-errno), a name is missing or has another bit
 * (-EINVAL), or a module parameter cannot be read (-errno).
 */
int tq_labels_check(const char *path, const char *sysfs_root)
{
	struct tq_label labels[] = {
		{ .name = "tquic-bond", .param = "label_bond", .dflt = 120 },
		{ .name = "tquic-realtime", .param = "label_realtime", .dflt = 121 },
	};
	const size_t n = sizeof(labels) / sizeof(labels[0]);
	unsigned int bad, want;
	bool have_param;
	int r, err = 0;
	size_t i;

	r = tq_labels_read(path, labels, n, &bad);
	if (r < 0) {
		log_err("cannot read %s: %s; it must name the conntrack labels tquic-bond and tquic-realtime (make install merges nft/connlabel.conf into it)",
			path, strerror(-r));
		return r;
	}
	for (i = 0; i < n; i++) {
		struct tq_label *l = &labels[i];

		want = l->dflt;
		r = tq_labels_param(sysfs_root, l->param, &want);
		have_param = r == 0;
		if (r < 0 && r != -ENOENT) {
			log_err("cannot read %s/module/tquic/parameters/%s: %s",
				sysfs_root, l->param, strerror(-r));
			return r;
		}
		if (!l->line) {
			log_err("%s: no line names the conntrack label %s: add \"%u %s\" (make install merges nft/connlabel.conf into %s)",
				path, l->name, want, l->name, TQ_CONNLABEL_FILE);
			err = -EINVAL;
		} else if (l->bit >= TQ_LABEL_BITS) {
			log_err("%s:%u: %s is bit %u, but conntrack labels are bits 0 to %u",
				path, l->line, l->name, l->bit,
				TQ_LABEL_BITS - 1);
			err = -EINVAL;
		} else if (have_param && l->bit != want) {
			log_err("%s:%u: %s is bit %u, but the tquic module bonds bit %u (%s/module/tquic/parameters/%s)",
				path, l->line, l->name, l->bit, want,
				sysfs_root, l->param);
			err = -EINVAL;
		}
	}
	if (!err && labels[0].bit == labels[1].bit) {
		log_err("%s:%u: %s and %s are both bit %u", path,
			labels[1].line, labels[0].name, labels[1].name,
			labels[0].bit);
		err = -EINVAL;
	}
	if (err && bad)
		log_err("%s:%u: not a \"BIT NAME\" line: nft reads the file no further",
			path, bad);
	return err;
}
