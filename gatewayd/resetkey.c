// SPDX-License-Identifier: GPL-2.0
/*
 * The stateless reset key file: TQUIC_RESET_KEY_LEN random bytes, made on
 * first use, readable by its owner only. With the same key after a
 * restart, the kernel answers the packets of connections it no longer
 * knows with the reset tokens their peers hold, and the peers learn at
 * once that the connection is gone instead of waiting out the idle
 * timeout.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "resetkey.h"
#include "util.h"

static void tq_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static int tq_reset_key_create(const char *path,
			       uint8_t key[TQUIC_RESET_KEY_LEN])
{
	_cleanup_(tq_closep) int fd = -1;

	if (getrandom(key, TQUIC_RESET_KEY_LEN, 0) != TQUIC_RESET_KEY_LEN)
		return -errno ?: -EIO;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return -errno;
	if (write(fd, key, TQUIC_RESET_KEY_LEN) != TQUIC_RESET_KEY_LEN ||
	    fsync(fd) < 0) {
		int r = -errno ?: -EIO;

		unlink(path);
		return r;
	}
	log_info("%s: new stateless reset key", path);
	return 0;
}

/**
 * tq_reset_key_load() - the key in @path, made there if there is none
 * @path: the file
 * @key: the key out
 *
 * Return: 0, or a negative errno after logging what is wrong: the file
 * cannot be read or made (-errno), is not TQUIC_RESET_KEY_LEN bytes
 * (-EBADMSG) or others than its owner may read it (-EPERM).
 */
int tq_reset_key_load(const char *path, uint8_t key[TQUIC_RESET_KEY_LEN])
{
	_cleanup_(tq_closep) int fd = -1;
	struct stat st;
	ssize_t n;
	int r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		r = tq_reset_key_create(path, key);
		if (r < 0)
			log_err("%s: cannot make a stateless reset key: %s",
				path, strerror(-r));
		return r;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		r = -errno;
		log_err("%s: %s", path, strerror(-r));
		return r;
	}
	if (st.st_mode & 077) {
		log_err("%s: a stateless reset key must be readable by its owner only",
			path);
		return -EPERM;
	}
	n = read(fd, key, TQUIC_RESET_KEY_LEN);
	if (n != TQUIC_RESET_KEY_LEN || st.st_size != TQUIC_RESET_KEY_LEN) {
		explicit_bzero(key, TQUIC_RESET_KEY_LEN);
		log_err("%s: a stateless reset key file holds %d bytes",
			path, TQUIC_RESET_KEY_LEN);
		return -EBADMSG;
	}
	return 0;
}
