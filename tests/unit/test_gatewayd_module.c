// SPDX-License-Identifier: GPL-2.0
/* gatewayd's check for the kernel module, against a made-up sysfs. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "module.h"

static void test_module_present_absent(void **state)
{
	char root[] = "/tmp/tquic-sysfs-XXXXXX";
	char path[512];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(root));
	assert_int_equal(tquic_module_check(root), -ENOENT);

	snprintf(path, sizeof(path), "%s/module", root);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(tquic_module_check(root), -ENOENT);

	/* a file where the module's directory should be is not the module */
	snprintf(path, sizeof(path), "%s/module/tquic", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(tquic_module_check(root), -ENOTDIR);
	unlink(path);

	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(tquic_module_check(root), 0);

	rmdir(path);
	snprintf(path, sizeof(path), "%s/module", root);
	rmdir(path);
	rmdir(root);
}

static void test_root_too_long(void **state)
{
	char root[400];

	(void)state;
	memset(root, 'a', sizeof(root) - 1);
	root[sizeof(root) - 1] = '\0';
	assert_int_equal(tquic_module_check(root), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_present_absent),
		cmocka_unit_test(test_root_too_long),
	};

	return cmocka_run_group_tests_name("gatewayd_module", tests, NULL, NULL);
}
