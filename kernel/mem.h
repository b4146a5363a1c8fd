/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's own allocations, counted: every object tquic allocates for
 * itself (connections, sockets, AEAD and header protection contexts,
 * crypto buffers) goes through these, so a leak shows as a count that does
 * not come back to zero (/proc/net/tquic "objects", and a warning at
 * unload), whether the memory came from a slab or from vmalloc.
 */
#ifndef _TQUIC_MEM_H
#define _TQUIC_MEM_H

#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

extern atomic_long_t tquic_mem_objects;

/* zeroed, from a slab: linear memory, fit for scatterlists */
static inline void *tquic_mem_kzalloc(size_t size, gfp_t gfp)
{
	void *p = kzalloc(size, gfp);

	if (p)
		atomic_long_inc(&tquic_mem_objects);
	return p;
}

/*
 * zeroed, from vmalloc, for large objects (a connection): no high-order
 * allocation to fail under fragmentation, and never valid for the crypto
 * API, so every run checks that no AEAD works on connection memory
 */
static inline void *tquic_mem_vzalloc(size_t size)
{
	void *p = vzalloc(size);

	if (p)
		atomic_long_inc(&tquic_mem_objects);
	return p;
}

/* frees what tquic_mem_kzalloc() gave, wiped */
static inline void tquic_mem_kfree(void *p)
{
	if (!p)
		return;
	atomic_long_dec(&tquic_mem_objects);
	kfree_sensitive(p);
}

/* frees what tquic_mem_vzalloc() gave for @size bytes, wiped */
static inline void tquic_mem_vfree(void *p, size_t size)
{
	if (!p)
		return;
	atomic_long_dec(&tquic_mem_objects);
	kvfree_sensitive(p, size);
}

static inline long tquic_mem_live(void)
{
	return atomic_long_read(&tquic_mem_objects);
}

#endif /* _TQUIC_MEM_H */
