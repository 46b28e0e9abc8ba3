/* SPDX-License-Identifier: MIT */
/*
 * First C code of a guest: install the IDT, set up the heap and the Xen
 * interface (hypercall page, shared_info, event-channel upcall) when Bolt
 * offers it, run the constructors, then exit(main(argc, argv)) as a C
 * runtime does, so a guest never falls off the end: returning n from main
 * is exit(n), which Bolt reports as "exit status n".
 */
#include <stdlib.h>

#include "guests/sdk/sdk-internal.h"

/* Room for Bolt's command line and the bolt.shm= words it appends. */
#define SDK_ARGS_BYTES 2048
#define SDK_ARGS_MAX 64

int main(int argc, char **argv);

typedef void (*sdk_ctor_t)(void);
extern sdk_ctor_t __init_array_start[], __init_array_end[];

static const struct hvm_start_info *sdk_si;
static char sdk_args[SDK_ARGS_BYTES];
static char *sdk_argv[SDK_ARGS_MAX];

const struct hvm_start_info *bolt_start_info(void)
{
	return sdk_si;
}

void sdk_start(struct hvm_start_info *si)
{
	int argc;

	sdk_si = si && si->magic == XEN_HVM_START_MAGIC_VALUE ? si : NULL;
	sdk_console_init();
	sdk_idt_install();
	sdk_heap_init(sdk_si);
	sdk_xen_init();
	argc = sdk_args_split(bolt_cmdline(sdk_si), sdk_args, sizeof(sdk_args), sdk_argv,
			      SDK_ARGS_MAX);
	if (argc < 0) {
		sdk_log("sdk: command line has more than %d words or %d bytes: not starting main",
			SDK_ARGS_MAX - 2, SDK_ARGS_BYTES - 2);
		sdk_shutdown_now(SHUTDOWN_crash);
	}
	for (sdk_ctor_t *c = __init_array_start; c < __init_array_end; c++)
		(*c)();
	exit(main(argc, sdk_argv));
}
